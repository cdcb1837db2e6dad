using EvCloud.Fast.Api.Contracts;
using EvCloud.Fast.Api.Security;
using EvCloud.Fast.Cdr;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Cdr.Sessions;
using EvCloud.Fast.Http;
using EvCloud.Fast.Ocpp.DeviceModel;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Ocpp.Security;
using EvCloud.Fast.Ocpp.Server;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvCloud.Fast.Api.Endpoints;

/// <summary><c>/api/v1/chargers</c> and <c>/api/v1/transactions</c>: what the chargers reported, read from state.</summary>
internal static class ChargerEndpoints
{
    private static readonly string[] Sorts = ["id", "-id", "lastSeen", "-lastSeen", "vendor", "-vendor"];

    public static void Map(RouteGroupBuilder api)
    {
        RouteGroupBuilder chargers = api.MapGroup("/chargers").WithTags("Chargers").RequireAuthorization(ApiPolicies.Read);
        chargers.MapGet("/", ListChargers)
            .WithName("ListChargers")
            .WithSummary("List chargers")
            .WithDescription("Filters combine with AND. status matches any connector/EVSE in that status (e.g. Charging). sort: id, lastSeen or vendor, '-' for descending.")
            .Produces<Page<ChargerSummary>>()
            .ProducesValidationProblem();
        chargers.MapGet("/{chargerId}", GetCharger)
            .WithName("GetCharger")
            .WithSummary("One charger: boot data, connectors/EVSEs, connection, open transactions, registration and credentials")
            .Produces<ChargerDetail>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        chargers.MapGet("/{chargerId}/device-model", GetDeviceModel)
            .WithName("GetDeviceModel")
            .WithSummary("The OCPP 2.x device model assembled from NotifyReport")
            .Produces<DeviceModelView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        chargers.MapGet("/{chargerId}/transactions", ListChargerTransactions)
            .WithName("ListChargerTransactions")
            .WithSummary("Transactions of one charger, newest first")
            .Produces<Page<TransactionView>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        RouteGroupBuilder transactions = api.MapGroup("/transactions").WithTags("Transactions").RequireAuthorization(ApiPolicies.Read);
        transactions.MapGet("/", ListTransactions)
            .WithName("ListTransactions")
            .WithSummary("Transactions of every charger, newest first")
            .WithDescription("status: Open or Ended; chargerId and idTag filter exactly; from/to bound the start time (from inclusive, to exclusive).")
            .Produces<Page<TransactionView>>()
            .ProducesValidationProblem();
        transactions.MapGet("/{transactionId:int}", GetTransactionAsync)
            .WithName("GetTransaction")
            .WithSummary("One transaction with its meter data: register readings over time and its CDR once priced")
            .Produces<TransactionDetail>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult ListChargers(
        HttpContext context,
        StorageEngine storage,
        ApiOptions options,
        string? status,
        bool? online,
        string? protocol,
        string? vendor,
        string? registration,
        string? sort,
        int? offset,
        int? limit)
    {
        if (!Paging.TryRead(offset, limit, options, out int from, out int count, out IResult? problem))
        {
            return problem!;
        }

        if (sort is not null && !Sorts.Contains(sort, StringComparer.Ordinal))
        {
            return ApiProblem.Validation("sort", "sort must be one of " + string.Join(", ", Sorts) + ".");
        }

        ConnectorStatus? statusFilter = null;
        if (status is not null)
        {
            if (!Enum.TryParse(status, ignoreCase: true, out ConnectorStatus parsed))
            {
                return ApiProblem.Validation("status", "status must be one of " + string.Join(", ", Enum.GetNames<ConnectorStatus>()) + ".");
            }

            statusFilter = parsed;
        }

        IEnumerable<ChargerSnapshot> query = storage.State.ListChargers();
        if (statusFilter is { } wanted)
        {
            query = query.Where(c => c.Connectors.Any(k => k.Status == (byte)wanted));
        }

        if (online is { } isOnline)
        {
            query = query.Where(c => c.Online == isOnline);
        }

        if (protocol is not null)
        {
            query = query.Where(c => string.Equals(Views.Protocol(c.Protocol), protocol, StringComparison.OrdinalIgnoreCase));
        }

        if (vendor is not null)
        {
            query = query.Where(c => string.Equals(c.Vendor, vendor, StringComparison.OrdinalIgnoreCase));
        }

        if (registration is not null)
        {
            query = query.Where(c => string.Equals(Views.Registration(c.RegistrationStatus), registration, StringComparison.OrdinalIgnoreCase));
        }

        query = (sort ?? "id") switch
        {
            "-id" => query.OrderByDescending(c => c.ChargerId, StringComparer.Ordinal),
            "lastSeen" => query.OrderBy(c => c.LastSeenMs).ThenBy(c => c.ChargerId, StringComparer.Ordinal),
            "-lastSeen" => query.OrderByDescending(c => c.LastSeenMs).ThenBy(c => c.ChargerId, StringComparer.Ordinal),
            "vendor" => query.OrderBy(c => c.Vendor, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.ChargerId, StringComparer.Ordinal),
            "-vendor" => query.OrderByDescending(c => c.Vendor, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.ChargerId, StringComparer.Ordinal),
            _ => query.OrderBy(c => c.ChargerId, StringComparer.Ordinal),
        };

        ChargerSummary[] all = [.. query.Select(Views.Summary)];
        return TypedResults.Ok(Paging.Page(context, all, from, count));
    }

    private static IResult GetCharger(
        string chargerId,
        StorageEngine storage,
        OcppGateway gateway,
        ChargerRegistrations registrations,
        ChargerCredentialStore credentials,
        DeviceModelStore deviceModels)
    {
        ChargerSnapshot? charger = storage.State.GetCharger(chargerId);
        ChargerRegistration? registration = registrations.Get(chargerId);
        if (charger is null && registration is null && !registrations.IsConfigured(chargerId))
        {
            return ApiProblem.ChargerNotFound(chargerId);
        }

        ConnectionView? connection = gateway.Registry.TryGet(chargerId, out OcppConnection live)
            ? new ConnectionView(live.RemoteEndPoint, live.ConnectedAt, (int)live.Security.Profile)
            : null;
        return TypedResults.Ok(new ChargerDetail(
            chargerId,
            charger is null ? "unknown" : Views.Protocol(charger.Protocol),
            connection is not null,
            charger is null ? nameof(RegistrationStatus.Unknown) : Views.Registration(charger.RegistrationStatus),
            charger is null ? null : Views.Time(charger.LastSeenMs),
            charger is null ? new BootInfo(null, 0, 0, null, null, null, null, null, null, null, null, null) : Views.Boot(charger),
            connection,
            charger is null ? [] : [.. charger.Connectors.Select(Views.Connector)],
            charger is null ? [] : [.. charger.OpenTransactions.Select(Views.Transaction)],
            AdminEndpoints.Registration(chargerId, registrations),
            new CredentialsView(chargerId, credentials.HasPassword(chargerId), (int)credentials.RequiredProfile(chargerId)),
            deviceModels.Get(chargerId) is not null));
    }

    private static IResult GetDeviceModel(string chargerId, DeviceModelStore deviceModels)
    {
        StationDeviceModel? model = deviceModels.Get(chargerId);
        if (model is null)
        {
            return ApiProblem.NotFound("A device model for charger '" + chargerId + "'");
        }

        DeviceModelVariableView[] variables =
        [
            .. model.Entries.Values
                .OrderBy(e => e.Component, StringComparer.Ordinal)
                .ThenBy(e => e.EvseId)
                .ThenBy(e => e.ConnectorId)
                .ThenBy(e => e.ComponentInstance, StringComparer.Ordinal)
                .ThenBy(e => e.Variable, StringComparer.Ordinal)
                .ThenBy(e => e.VariableInstance, StringComparer.Ordinal)
                .Select(e => new DeviceModelVariableView(e.Component, e.ComponentInstance, e.EvseId, e.ConnectorId, e.Variable, e.VariableInstance, e.Attributes, e.Characteristics)),
        ];
        return TypedResults.Ok(new DeviceModelView(model.ChargerId, model.ReportedAt, variables));
    }

    private static IResult ListChargerTransactions(HttpContext context, string chargerId, StorageEngine storage, ApiOptions options, string? status, int? offset, int? limit)
    {
        if (!storage.State.TryGetCharger(System.Text.Encoding.UTF8.GetBytes(chargerId), out _))
        {
            return ApiProblem.ChargerNotFound(chargerId);
        }

        return ListTransactionsCore(context, storage, options, chargerId, status, null, null, null, offset, limit);
    }

    private static IResult ListTransactions(
        HttpContext context, StorageEngine storage, ApiOptions options, string? chargerId, string? status, string? idTag, DateTimeOffset? from, DateTimeOffset? to, int? offset, int? limit) =>
        ListTransactionsCore(context, storage, options, chargerId, status, idTag, from, to, offset, limit);

    private static IResult ListTransactionsCore(
        HttpContext context, StorageEngine storage, ApiOptions options, string? chargerId, string? status, string? idTag, DateTimeOffset? from, DateTimeOffset? to, int? offset, int? limit)
    {
        if (!Paging.TryRead(offset, limit, options, out int skip, out int count, out IResult? problem))
        {
            return problem!;
        }

        TransactionStatus? statusFilter = null;
        if (status is not null)
        {
            if (!Enum.TryParse(status, ignoreCase: true, out TransactionStatus parsed) || !Enum.IsDefined(parsed))
            {
                return ApiProblem.Validation("status", "status must be Open or Ended.");
            }

            statusFilter = parsed;
        }

        IEnumerable<TransactionSnapshot> query = storage.State.ListTransactions(chargerId);
        if (statusFilter is { } wanted)
        {
            query = query.Where(t => t.Status == wanted);
        }

        if (idTag is not null)
        {
            query = query.Where(t => string.Equals(t.IdTag, idTag, StringComparison.Ordinal));
        }

        if (from is { } fromTime)
        {
            query = query.Where(t => t.StartMs >= fromTime.ToUnixTimeMilliseconds());
        }

        if (to is { } toTime)
        {
            query = query.Where(t => t.StartMs < toTime.ToUnixTimeMilliseconds());
        }

        TransactionView[] all = [.. query.OrderByDescending(t => t.StartMs).ThenByDescending(t => t.TransactionId).Select(Views.Transaction)];
        return TypedResults.Ok(Paging.Page(context, all, skip, count));
    }

    private static async Task<IResult> GetTransactionAsync(int transactionId, StorageEngine storage, CdrPipeline pipeline, CdrStore cdrs, CdrOptions cdrOptions, CancellationToken cancellationToken)
    {
        if (storage.State.GetTransaction(transactionId) is not { } transaction)
        {
            return ApiProblem.NotFound("Transaction " + transactionId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        string cdrId = cdrOptions.CdrIdOf(transactionId);
        List<MeterReadingView> readings = [];
        TrackedSession? open = pipeline.OpenSessions().FirstOrDefault(s => s.TransactionId == transactionId);
        if (open is not null)
        {
            readings.AddRange(open.Readings.Select(r => new MeterReadingView(DateTimeOffset.FromUnixTimeMilliseconds(r.TimeMs), Views.Wh(r.EnergyMilliWh), null)));
        }
        else if (await cdrs.ReadAsync(cdrId, cancellationToken).ConfigureAwait(false) is { } cdr)
        {
            readings.AddRange(cdr.Points.Select(p => new MeterReadingView(DateTimeOffset.FromUnixTimeMilliseconds(p.TimeMs), Views.Wh(p.EnergyMilliWh), p.Charging)));
        }

        return TypedResults.Ok(new TransactionDetail(Views.Transaction(transaction), readings, cdrs.Contains(cdrId) ? cdrId : null));
    }
}
