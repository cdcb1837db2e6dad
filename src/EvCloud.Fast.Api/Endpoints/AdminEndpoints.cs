using EvCloud.Fast.Api.Contracts;
using EvCloud.Fast.Api.Security;
using EvCloud.Fast.Commands;
using EvCloud.Fast.Http;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Ocpp.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvCloud.Fast.Api.Endpoints;

/// <summary>
/// Admin endpoints: charger registrations (what BootNotification answers), charger credentials (HTTP Basic for
/// security profiles 1–2, required profile) and API keys.
/// </summary>
internal static class AdminEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        RouteGroupBuilder chargers = api.MapGroup("/chargers/{chargerId}").WithTags("Charger administration");
        chargers.MapGet("/registration", (string chargerId, ChargerRegistrations registrations) => TypedResults.Ok(Registration(chargerId, registrations)))
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("GetRegistration").WithSummary("The operator's registration decision and what the next BootNotification will be answered")
            .Produces<RegistrationView>();
        chargers.MapPut("/registration", PutRegistrationAsync).RequireAuthorization(ApiPolicies.Admin)
            .WithName("PutRegistration").WithSummary("Allow or block a charge point id (applies at its next BootNotification)")
            .WithDescription("Allowed: Accepted even under the KnownOnly and PendingUnknown boot policies. Blocked: Rejected even under AutoAccept.")
            .Accepts<RegistrationWrite>("application/json").Produces<RegistrationView>().ProducesValidationProblem();
        chargers.MapDelete("/registration", DeleteRegistrationAsync).RequireAuthorization(ApiPolicies.Admin)
            .WithName("DeleteRegistration").WithSummary("Forget the decision: the boot policy applies again")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        chargers.MapGet("/credentials", (string chargerId, ChargerCredentialStore credentials) => TypedResults.Ok(Credentials(chargerId, credentials)))
            .RequireAuthorization(ApiPolicies.Admin)
            .WithName("GetCredentials").WithSummary("Whether the charger has a password, and the security profile it must use")
            .Produces<CredentialsView>();
        chargers.MapPut("/credentials", PutCredentials).RequireAuthorization(ApiPolicies.Admin)
            .WithName("PutCredentials").WithSummary("Set the charger's Basic password and/or its required security profile")
            .WithDescription("The new password works at once and the old one stops working; to change it on a connected charger without locking it out, use the rotate endpoint.")
            .Accepts<CredentialsWrite>("application/json").Produces<CredentialsView>().ProducesValidationProblem();
        chargers.MapPost("/credentials/rotate", RotateAsync).RequireAuthorization(ApiPolicies.Admin)
            .WithName("RotateCredentials")
            .WithSummary("Give a connected charger a new random Basic password without locking it out")
            .WithDescription("Sends the new password (1.6 ChangeConfiguration AuthorizationKey, hex; 2.x SetVariables SecurityCtrlr.BasicAuthPassword). " +
                "Once the charger accepts, the new password works and the old one keeps working for previousValidMinutes (default 60), while the charger reconnects.")
            .Produces<CredentialsRotated>().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status504GatewayTimeout);
        chargers.MapDelete("/credentials", (string chargerId, ChargerCredentialStore credentials) =>
                credentials.Revoke(chargerId) ? Results.NoContent() : ApiProblem.NotFound("A password for charger '" + chargerId + "'"))
            .RequireAuthorization(ApiPolicies.Admin)
            .WithName("RevokeCredentials").WithSummary("Revoke the password: the charger cannot connect until a new one is set")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        RouteGroupBuilder keys = api.MapGroup("/api-keys").WithTags("API keys").RequireAuthorization(ApiPolicies.Admin);
        keys.MapGet("/", (ApiKeyStore store) => TypedResults.Ok(store.All.Select(KeyView).ToArray()))
            .WithName("ListApiKeys").WithSummary("List API keys (never the keys themselves)")
            .Produces<ApiKeyView[]>();
        keys.MapPost("/", CreateKeyAsync)
            .WithName("CreateApiKey").WithSummary("Create an API key; the response is the only time the key is shown")
            .Accepts<ApiKeyCreate>("application/json").Produces<ApiKeyCreated>(StatusCodes.Status201Created).ProducesValidationProblem();
        keys.MapDelete("/{id}", async (string id, ApiKeyStore store, CancellationToken ct) =>
                await store.DeleteAsync(id, ct).ConfigureAwait(false) ? Results.NoContent() : ApiProblem.NotFound("API key '" + id + "' (configured keys are removed from configuration)"))
            .WithName("DeleteApiKey").WithSummary("Delete an API key created through the API")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static RegistrationView Registration(string chargerId, ChargerRegistrations registrations)
    {
        ChargerRegistration? registration = registrations.Get(chargerId);
        return new RegistrationView(
            chargerId,
            (registration?.Decision ?? RegistrationDecision.None).ToString(),
            registration?.Note,
            registration is null ? null : Views.Time(registration.UpdatedUnixMs),
            registrations.IsConfigured(chargerId),
            registrations.Policy.ToString(),
            registrations.Decide(chargerId).ToString());
    }

    private static CredentialsView Credentials(string chargerId, ChargerCredentialStore credentials) =>
        new(chargerId, credentials.HasPassword(chargerId), (int)credentials.RequiredProfile(chargerId));

    private static async Task<IResult> PutRegistrationAsync(string chargerId, RegistrationWrite? body, ChargerRegistrations registrations, CancellationToken cancellationToken)
    {
        if (body is null || !Enum.TryParse(body.Decision, ignoreCase: true, out RegistrationDecision decision) || decision == RegistrationDecision.None)
        {
            return ApiProblem.Validation("decision", "decision must be Allowed or Blocked.");
        }

        if (chargerId.Length > 48)
        {
            return ApiProblem.Validation("chargerId", "A charge point id has at most 48 characters.");
        }

        await registrations.SaveAsync(new ChargerRegistration { ChargePointId = chargerId, Decision = decision, Note = body.Note }, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(Registration(chargerId, registrations));
    }

    private static async Task<IResult> DeleteRegistrationAsync(string chargerId, ChargerRegistrations registrations, CancellationToken cancellationToken) =>
        await registrations.DeleteAsync(chargerId, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : ApiProblem.NotFound("A registration for charger '" + chargerId + "'");

    private static IResult PutCredentials(string chargerId, CredentialsWrite? body, ChargerCredentialStore credentials)
    {
        if (body is null || (body.Password is null && body.RequiredProfile is null))
        {
            return ApiProblem.Validation("password", "Give a password, a requiredProfile, or both.");
        }

        if (body.RequiredProfile is { } profile && profile is < 0 or > 3)
        {
            return ApiProblem.Validation("requiredProfile", "requiredProfile must be 0, 1, 2 or 3.");
        }

        if (body.Password is not null)
        {
            try
            {
                credentials.SetPassword(chargerId, body.Password);
            }
            catch (ArgumentException error)
            {
                return ApiProblem.Validation("password", error.Message);
            }
        }

        if (body.RequiredProfile is { } required)
        {
            credentials.SetProfile(chargerId, (SecurityProfile)required);
        }

        return TypedResults.Ok(Credentials(chargerId, credentials));
    }

    /// <summary>
    /// Password rotation on a live charger (OCPP 1.6 Security Whitepaper "AuthorizationKey", 2.0.1 A01 Update Charging
    /// Station Password): the charger must accept the new password before the server switches, and the old one stays
    /// valid long enough for the charger to reconnect with the new one.
    /// </summary>
    private static async Task<IResult> RotateAsync(HttpContext context, string chargerId, int? previousValidMinutes, CommandService commands, ChargerCredentialStore credentials)
    {
        EvCloud.Fast.Ocpp.OcppVersion? version = commands.VersionOf(chargerId);
        if (version is null || !commands.IsOnline(chargerId))
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, ProblemCodes.ChargerOffline, "Charger offline", "A password is rotated on a connected charger.");
        }

        TimeSpan keep = TimeSpan.FromMinutes(previousValidMinutes ?? 60);
        if (keep < TimeSpan.Zero || keep > TimeSpan.FromDays(7))
        {
            return ApiProblem.Validation("previousValidMinutes", "previousValidMinutes must be between 0 and 10080.");
        }

        string password = ChargerPasswordRules.Generate(ChargerPasswordRules.MaxKeyBytes);
        var setting = version == EvCloud.Fast.Ocpp.OcppVersion.Ocpp16
            ? new ConfigurationValue { Key = "AuthorizationKey", Value = Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(password)) }
            : new ConfigurationValue { Key = "SecurityCtrlr.BasicAuthPassword", Value = password };
        OcppCommand command = ChargerCommands.ChangeConfiguration(version.Value, new ChangeConfigurationRequest { Settings = [setting] })[0];
        string source = context.User.Identity?.Name ?? "api";
        CommandExecution execution = await commands.SendAsync(chargerId, command.Action, command.PayloadJson, source, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        if (execution.Result.Status != EvCloud.Fast.Ocpp.Rpc.OcppCallStatus.Completed)
        {
            return CommandEndpoints.Answer(execution, null);
        }

        CommandAnswer answer = ChargerCommands.ReadAnswer(version.Value, command.Action, execution.Result.Payload ?? []);
        bool accepted = answer.Accepted && (answer.KeyResults is null || answer.KeyResults.All(k => k.Accepted));
        if (!accepted)
        {
            return ApiProblem.Create(StatusCodes.Status409Conflict, ProblemCodes.Conflict, "The charger refused the new password",
                "Answer: " + answer.Status + ". The password is unchanged.");
        }

        credentials.RotatePassword(chargerId, password, keep);
        return TypedResults.Ok(new CredentialsRotated(chargerId, execution.CommandId, answer.Status, DateTimeOffset.UtcNow.Add(keep)));
    }

    private static async Task<IResult> CreateKeyAsync(ApiKeyCreate? body, ApiKeyStore store, CancellationToken cancellationToken)
    {
        if (body is null || string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 100)
        {
            return ApiProblem.Validation("name", "name is required (at most 100 characters).");
        }

        if (!Enum.TryParse(body.Role, ignoreCase: true, out ApiRole role) || !Enum.IsDefined(role))
        {
            return ApiProblem.Validation("role", "role must be Reader, Operator or Admin.");
        }

        (ApiKeyRecord record, string key) = await store.CreateAsync(body.Name, role, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created("/api/v1/api-keys/" + record.Id, new ApiKeyCreated(record.Id, record.Name, record.Role.ToString(), key));
    }

    private static ApiKeyView KeyView(ApiKeyRecord key) =>
        new(key.Id, key.Name, key.Role.ToString(), key.Configured ? null : Views.Time(key.CreatedUnixMs), key.Configured);
}
