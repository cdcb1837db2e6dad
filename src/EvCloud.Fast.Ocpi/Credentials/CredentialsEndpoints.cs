using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Credentials;

/// <summary>
/// Our credentials endpoint per version (OCPI 2.2.1 §7.2, 2.1.1 §7.1): GET answers our credentials, POST registers
/// (405 once registered), PUT updates (405 before registration), DELETE unregisters (405 before registration). The
/// partner's CREDENTIALS_TOKEN_A opens only POST (and GET); after the handshake only the token we issued works.
/// </summary>
internal static class CredentialsEndpoints
{
    public static void Map(RouteGroupBuilder ocpi)
    {
        foreach (OcpiVersionNumber version in new[] { OcpiVersionNumber.V221, OcpiVersionNumber.V211 })
        {
            RouteGroupBuilder group = ocpi.MapGroup("/" + OcpiVersions.Name(version) + "/credentials").AddEndpointFilter(OcpiRequest.ConfigurationFilter);
            group.MapGet("", (HttpContext context, CredentialsService service) => Get(context, service, version));
            group.MapPost("", (HttpContext context, CredentialsService service) => PostOrPutAsync(context, service, version, isPut: false));
            group.MapPut("", (HttpContext context, CredentialsService service) => PostOrPutAsync(context, service, version, isPut: true));
            group.MapDelete("", DeleteAsync);
        }
    }

    /// <summary>
    /// GET (§7.2.1): our credentials object carrying the token the caller used, which is the token it holds for us
    /// (we keep only its hash, and there is nothing else to send).
    /// </summary>
    private static IResult Get(HttpContext context, CredentialsService service, OcpiVersionNumber version)
    {
        (string? literal, string? decoded) = CredentialsTokenHeader.Candidates(context.Request.Headers.Authorization);
        string token = OcpiRequest.Caller(context).Encoding == TokenEncoding.Base64 ? decoded! : literal!;
        return version == OcpiVersionNumber.V221
            ? OcpiResults.Ok(service.Ours221(context, token), OcpiJsonContext.Default.Credentials221)
            : OcpiResults.Ok(service.Ours211(context, token), OcpiJsonContext.Default.Credentials211);
    }

    private static async Task<IResult> PostOrPutAsync(HttpContext context, CredentialsService service, OcpiVersionNumber version, bool isPut)
    {
        OcpiCaller caller = OcpiRequest.Caller(context);
        bool registered = caller.Partner.Registered && !caller.IsTokenA;
        if (!isPut && registered)
        {
            return OcpiResults.Error(StatusCodes.Status405MethodNotAllowed, OcpiStatus.ClientError, "Already registered: use PUT to update or DELETE to unregister.");
        }

        if (isPut && !registered)
        {
            return OcpiResults.Error(StatusCodes.Status405MethodNotAllowed, OcpiStatus.ClientError, "Not registered: POST the credentials first.");
        }

        if (!isPut && !caller.IsTokenA)
        {
            // A token we issued to a partner that has since unregistered, or token B while our own POST is in flight.
            return OcpiResults.Error(StatusCodes.Status405MethodNotAllowed, OcpiStatus.ClientError, "Registration needs the CREDENTIALS_TOKEN_A issued for this partner.");
        }

        string? token, url, error;
        List<PartnerRole>? roles;
        if (version == OcpiVersionNumber.V221)
        {
            (Credentials221? body, string? readError) = await OcpiRequest.ReadBodyAsync(context.Request, OcpiJsonContext.Default.Credentials221).ConfigureAwait(false);
            if (body is null)
            {
                return OcpiResults.Invalid(readError!);
            }

            (token, url) = (body.Token, body.Url);
            roles = CredentialsValidation.Roles(body, out error);
        }
        else
        {
            (Credentials211? body, string? readError) = await OcpiRequest.ReadBodyAsync(context.Request, OcpiJsonContext.Default.Credentials211).ConfigureAwait(false);
            if (body is null)
            {
                return OcpiResults.Invalid(readError!);
            }

            (token, url) = (body.Token, body.Url);
            roles = CredentialsValidation.Roles(body, out error);
        }

        error ??= CredentialsValidation.CheckTokenAndUrl(token, url);
        if (error is null && Client.PartnerAddressGuard.RefuseUrl(url, context.RequestServices.GetRequiredService<OcpiOptions>().AllowPrivateAddresses) is { } refused)
        {
            error = "url " + refused;
        }

        if (error is not null)
        {
            return OcpiResults.Invalid(error);
        }

        (CredentialsOutcome outcome, string? issued) = await service.AcceptAsync(caller, version, token!, url!, roles!, context.RequestAborted).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            // §7.1.5/§7.1.6: 3001 when we could not use the partner's API, 3003 when no endpoints match; 2001 when it
            // claims a party outside its token-A binding or held by another partner. The request reached the OCPI
            // layer, so HTTP stays 200 (§5: no HTTP error for valid JSON addressing an existing resource).
            return OcpiResults.Error(StatusCodes.Status200OK, outcome.StatusCode, outcome.Message!);
        }

        return version == OcpiVersionNumber.V221
            ? OcpiResults.Ok(service.Ours221(context, issued!), OcpiJsonContext.Default.Credentials221)
            : OcpiResults.Ok(service.Ours211(context, issued!), OcpiJsonContext.Default.Credentials211);
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, CredentialsService service)
    {
        OcpiCaller caller = OcpiRequest.Caller(context);
        if (caller.IsTokenA || !caller.Partner.Registered)
        {
            return OcpiResults.Error(StatusCodes.Status405MethodNotAllowed, OcpiStatus.ClientError, "Not registered.");
        }

        await service.UnregisteredByPartnerAsync(caller.Partner, context.RequestAborted).ConfigureAwait(false);
        return OcpiResults.Ok();
    }
}
