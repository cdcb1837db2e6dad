using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using EvCloud.Fast.Commands;
using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Sessions;
using EvCloud.Fast.Ocpp;
using EvCloud.Fast.Ocpp.Rpc;
using Microsoft.Extensions.Hosting;

namespace EvCloud.Fast.Ocpi.ChargingProfiles;

/// <summary>What the Receiver answers at once, and the OCPI status code of that answer.</summary>
public sealed record ChargingProfileReception(ChargingProfileResponse Response, int StatusCode, string? Message);

/// <summary>
/// CPO ChargingProfiles module, Receiver interface (OCPI 2.2.1 §19.2.1): on a roaming session of the calling eMSP,
/// PUT SetChargingProfile → OCPP <c>SetChargingProfile</c> (a <c>TxProfile</c> on the session's transaction), GET
/// ActiveChargingProfile → OCPP <c>GetCompositeSchedule</c>, DELETE → OCPP <c>ClearChargingProfile</c> of that profile.
/// The direct answer is a ChargingProfileResponse; the charger's outcome is POSTed to <c>response_url</c>
/// (ChargingProfileResult, ActiveChargingProfileResult, ClearProfileResult, §19.2.2.1).
/// </summary>
/// <remarks>
/// <para>The session id is the OCPP transaction id (as the Sessions module publishes it). A session of another
/// eMSP's token is REJECTED ("Session might not be from a customer of the eMSP that send this request", §19.5.2); an
/// unknown or ended one is UNKNOWN_SESSION; an offline charger is REJECTED at once.</para>
/// <para>Each session has one profile id, so a second PUT replaces the first on the charger (OCPP 1.6 §5.16, 2.0.1 K01:
/// same id replaces) and DELETE clears exactly it. The ids start at <see cref="ProfileIdBase"/>, clear of the API's
/// charging-limit id (10^9) and of the remote-start TxProfile ids (below 2^28).</para>
/// <para>A charger that does not answer in time gets no POST: ChargingProfileResultType has no value for it, and the
/// Sender, told the timeout in the response, concludes it from the silence (§19.3.1).</para>
/// </remarks>
public sealed partial class ChargingProfileReceiver
{
    /// <summary>Profile id of session <c>n</c>: this plus <c>n mod 10^8</c>.</summary>
    public const int ProfileIdBase = 1_100_000_000;

    private readonly CommandService _commands;
    private readonly RoamingContext _sessions;
    private readonly PartnerRegistry _partners;
    private readonly OcpiClient _client;
    private readonly OcpiOptions _options;
    private readonly ILogger<ChargingProfileReceiver> _logger;
    private readonly CancellationToken _stopping;
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();

    /// <summary>Creates the receiver.</summary>
    public ChargingProfileReceiver(
        CommandService commands, RoamingContext sessions, PartnerRegistry partners, OcpiClient client, OcpiOptions options, IHostApplicationLifetime lifetime, ILogger<ChargingProfileReceiver> logger)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        _commands = commands;
        _sessions = sessions;
        _partners = partners;
        _client = client;
        _options = options;
        _logger = logger;
        _stopping = lifetime.ApplicationStopping;
    }

    /// <summary>Results still being delivered (tests wait on them).</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>The OCPP profile id of a session.</summary>
    public static int ProfileId(int transactionId) => ProfileIdBase + (int)((uint)transactionId % 100_000_000);

    /// <summary>PUT: set or replace the session's profile (§19.2.1.2).</summary>
    public ChargingProfileReception Set(OcpiCaller caller, string sessionId, SetChargingProfile request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Validate(request.ChargingProfile) is { } invalid)
        {
            return Refuse(OcpiStatus.InvalidParameters, "REJECTED", invalid);
        }

        return Dispatch(caller, sessionId, request.ResponseUrl, "SetChargingProfile", (version, session) => BuildSet(version, session, request.ChargingProfile!), Kind.Set);
    }

    /// <summary>GET: the charger's composite schedule for <paramref name="duration"/> seconds (§19.2.1.1).</summary>
    public ChargingProfileReception GetActive(OcpiCaller caller, string sessionId, int duration, string? responseUrl) =>
        duration <= 0
            ? Refuse(OcpiStatus.InvalidParameters, "REJECTED", "duration must be a positive number of seconds.")
            : Dispatch(caller, sessionId, responseUrl, "GetCompositeSchedule", (version, session) => BuildGet(version, session, duration), Kind.Get);

    /// <summary>DELETE: clear the session's profile (§19.2.1.3).</summary>
    public ChargingProfileReception Clear(OcpiCaller caller, string sessionId, string? responseUrl) =>
        Dispatch(caller, sessionId, responseUrl, "ClearChargingProfile", (version, session) => BuildClear(version, session), Kind.Clear);

    private enum Kind
    {
        Set,
        Get,
        Clear,
    }

    private ChargingProfileReception Dispatch(OcpiCaller caller, string sessionId, string? responseUrl, string action, Func<OcppVersion, RoamingSession, byte[]> build, Kind kind)
    {
        if (Client.PartnerAddressGuard.RefuseUrl(responseUrl, _options.AllowPrivateAddresses) is { } refusedUrl)
        {
            return Refuse(OcpiStatus.InvalidParameters, "REJECTED", "response_url " + refusedUrl);
        }

        if (!int.TryParse(sessionId, NumberStyles.None, CultureInfo.InvariantCulture, out int transactionId)
            || _sessions.Session(transactionId) is not { Status: "ACTIVE" or "PENDING" } session)
        {
            return Refuse(OcpiStatus.Success, "UNKNOWN_SESSION", $"No ongoing session '{sessionId}'.");
        }

        if (session.PartnerId != caller.Partner.Id)
        {
            return Refuse(OcpiStatus.Success, "REJECTED", "The session is not of a token of yours.");
        }

        OcppVersion? version = _commands.VersionOf(session.ChargerId);
        if (version is null || !_commands.IsOnline(session.ChargerId))
        {
            return Refuse(OcpiStatus.Success, "REJECTED", "The charger is offline.");
        }

        byte[] payload = build(version.Value, session);
        if (!_commands.Validate(version.Value, action, payload, out string? error))
        {
            return Refuse(OcpiStatus.Success, "REJECTED", "The profile cannot be expressed in the charger's OCPP version: " + error);
        }

        OcpiPartner partner = caller.Partner;
        Task delivery = Task.Run(() => ExecuteAndReportAsync(partner, session, version.Value, action, payload, kind, responseUrl!), CancellationToken.None);
        _inFlight.TryAdd(delivery, 0);
        _ = delivery.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
        return new ChargingProfileReception(new ChargingProfileResponse { Result = "ACCEPTED", Timeout = (int)_options.CommandResultTimeout.TotalSeconds }, OcpiStatus.Success, null);
    }

    private async Task ExecuteAndReportAsync(OcpiPartner partner, RoamingSession session, OcppVersion version, string action, byte[] payload, Kind kind, string responseUrl)
    {
        OcppCallResult result;
        try
        {
            result = (await _commands.SendAsync(session.ChargerId, action, payload, "ocpi:" + partner.Id, cancellationToken: _stopping).ConfigureAwait(false)).Result;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (result.Status == OcppCallStatus.Timeout || _partners.Get(partner.Id) is not { Registered: true } current)
        {
            return;
        }

        byte[] body = kind == Kind.Get
            ? JsonSerializer.SerializeToUtf8Bytes(ReadComposite(version, result), OcpiChargingProfileJsonContext.Default.ActiveChargingProfileResult)
            : JsonSerializer.SerializeToUtf8Bytes(new ChargingProfileResult { Result = ReadStatus(result) }, OcpiChargingProfileJsonContext.Default.ChargingProfileResult);
        OcpiClientResponse<JsonElement> answer = await _client.SendAsync(
            OcpiTarget.For(current, "EMSP"), HttpMethod.Post, responseUrl, body, OcpiChargingProfileJsonContext.Default.JsonElement, routed: true, _stopping).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            LogResultNotDelivered(_logger, action, partner.Id, responseUrl, answer.HttpStatus, answer.StatusCode);
        }
    }

    /// <summary>The charger's status → ChargingProfileResultType (§19.5.1): Accepted, Unknown (1.6 Clear: no such profile), else REJECTED.</summary>
    private static string ReadStatus(OcppCallResult result)
    {
        if (result is not { Status: OcppCallStatus.Completed, Payload: { } payload })
        {
            return "REJECTED";
        }

        using JsonDocument document = JsonDocument.Parse(payload);
        return document.RootElement.TryGetProperty("status", out JsonElement status) ? status.GetString() switch
        {
            "Accepted" => "ACCEPTED",
            "Unknown" => "UNKNOWN",
            _ => "REJECTED",
        } : "REJECTED";
    }

    // 1.6 GetCompositeSchedule.conf: {status, connectorId?, scheduleStart?, chargingSchedule?{duration?, startSchedule?,
    // chargingRateUnit, chargingSchedulePeriod[{startPeriod, limit, numberPhases?}], minChargingRate?}}
    // 2.x GetCompositeScheduleResponse: {status, schedule?{evseId, duration, scheduleStart, chargingRateUnit, chargingSchedulePeriod[]}}
    private static ActiveChargingProfileResult ReadComposite(OcppVersion version, OcppCallResult result)
    {
        string status = ReadStatus(result);
        if (status != "ACCEPTED")
        {
            return new ActiveChargingProfileResult { Result = status };
        }

        using JsonDocument document = JsonDocument.Parse(result.Payload!);
        JsonElement root = document.RootElement;
        JsonElement schedule = version == OcppVersion.Ocpp16
            ? root.TryGetProperty("chargingSchedule", out JsonElement s16) ? s16 : default
            : root.TryGetProperty("schedule", out JsonElement s2) ? s2 : default;
        if (schedule.ValueKind != JsonValueKind.Object)
        {
            return new ActiveChargingProfileResult { Result = "UNKNOWN" };
        }

        DateTimeOffset start = TryDate(root, "scheduleStart") ?? TryDate(schedule, "scheduleStart") ?? TryDate(schedule, "startSchedule") ?? DateTimeOffset.UtcNow;
        var profile = new OcpiChargingProfile
        {
            Duration = schedule.TryGetProperty("duration", out JsonElement duration) && duration.TryGetInt32(out int seconds) ? seconds : null,
            ChargingRateUnit = schedule.TryGetProperty("chargingRateUnit", out JsonElement unit) ? unit.GetString() : "A",
            MinChargingRate = schedule.TryGetProperty("minChargingRate", out JsonElement min) ? min.GetDecimal() : null,
            ChargingProfilePeriod = schedule.TryGetProperty("chargingSchedulePeriod", out JsonElement periods) && periods.ValueKind == JsonValueKind.Array
                ? [.. periods.EnumerateArray().Select(p => new OcpiChargingProfilePeriod
                {
                    StartPeriod = p.GetProperty("startPeriod").GetInt32(),
                    Limit = Math.Round(p.TryGetProperty("limit", out JsonElement limit) ? limit.GetDecimal() : 0m, 1, MidpointRounding.ToZero),
                })]
                : [],
        };
        return new ActiveChargingProfileResult { Result = "ACCEPTED", Profile = new ActiveChargingProfile { StartDateTime = OcpiDates.Truncate(start), ChargingProfile = profile } };
    }

    private static DateTimeOffset? TryDate(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && OcpiDates.TryParse(value.GetString(), out DateTimeOffset date) ? date : null;

    /// <summary>What OCPP needs and OCPI leaves open: a unit, at least one period, periods starting at 0 and rising.</summary>
    private static string? Validate(OcpiChargingProfile? profile)
    {
        if (profile is null || profile.ChargingRateUnit is not ("A" or "W"))
        {
            return "charging_profile with charging_rate_unit A or W is required.";
        }

        List<OcpiChargingProfilePeriod> periods = profile.ChargingProfilePeriod ?? [];
        if (periods.Count == 0 || periods[0].StartPeriod != 0 || periods.Zip(periods.Skip(1)).Any(p => p.Second.StartPeriod <= p.First.StartPeriod) || periods.Exists(p => p.Limit < 0))
        {
            return "charging_profile_period needs one period at least, the first at start_period 0, increasing, with limits of 0 or more.";
        }

        return profile.Duration is < 0 ? "duration must not be negative." : null;
    }

    // 1.6 SetChargingProfile.req (§5.16): {connectorId, csChargingProfiles{chargingProfileId, transactionId, stackLevel,
    // chargingProfilePurpose: TxProfile, chargingProfileKind, chargingSchedule{duration?, startSchedule?, chargingRateUnit,
    // chargingSchedulePeriod[{startPeriod, limit}], minChargingRate?}}}; 2.x (K01): {evseId, chargingProfile{id,
    // stackLevel, chargingProfilePurpose, chargingProfileKind, transactionId, chargingSchedule[{id, ...}]}}
    private static byte[] BuildSet(OcppVersion version, RoamingSession session, OcpiChargingProfile profile)
    {
        int profileId = ProfileId(session.TransactionId);
        return Write(w =>
        {
            w.WriteNumber(version == OcppVersion.Ocpp16 ? "connectorId" : "evseId", session.ConnectorId);
            w.WriteStartObject(version == OcppVersion.Ocpp16 ? "csChargingProfiles" : "chargingProfile");
            w.WriteNumber(version == OcppVersion.Ocpp16 ? "chargingProfileId" : "id", profileId);
            if (version == OcppVersion.Ocpp16)
            {
                w.WriteNumber("transactionId", session.TransactionId);
            }
            else
            {
                w.WriteString("transactionId", session.TransactionId.ToString(CultureInfo.InvariantCulture));
            }

            w.WriteNumber("stackLevel", 0);
            w.WriteString("chargingProfilePurpose", "TxProfile");
            w.WriteString("chargingProfileKind", profile.StartDateTime is null ? "Relative" : "Absolute");
            if (version == OcppVersion.Ocpp16)
            {
                w.WriteStartObject("chargingSchedule");
                WriteSchedule(w, version, profileId, profile);
                w.WriteEndObject();
            }
            else
            {
                w.WriteStartArray("chargingSchedule");
                w.WriteStartObject();
                WriteSchedule(w, version, profileId, profile);
                w.WriteEndObject();
                w.WriteEndArray();
            }

            w.WriteEndObject();
        });
    }

    private static void WriteSchedule(Utf8JsonWriter w, OcppVersion version, int profileId, OcpiChargingProfile profile)
    {
        if (version != OcppVersion.Ocpp16)
        {
            w.WriteNumber("id", profileId);
        }

        if (profile.StartDateTime is { } start)
        {
            w.WriteString("startSchedule", OcpiDates.Format(start));
        }

        if (profile.Duration is { } duration)
        {
            w.WriteNumber("duration", duration);
        }

        w.WriteString("chargingRateUnit", profile.ChargingRateUnit);
        w.WriteStartArray("chargingSchedulePeriod");
        foreach (OcpiChargingProfilePeriod period in profile.ChargingProfilePeriod!)
        {
            w.WriteStartObject();
            w.WriteNumber("startPeriod", period.StartPeriod);
            // OCPI and OCPP 1.6 both allow one decimal (§19.4.4 "at most one digit fraction").
            w.WriteNumber("limit", Math.Round(period.Limit, 1, MidpointRounding.ToZero));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (profile.MinChargingRate is { } min)
        {
            w.WriteNumber("minChargingRate", Math.Round(min, 1, MidpointRounding.ToZero));
        }
    }

    // 1.6 GetCompositeSchedule.req (§5.7): {connectorId, duration}; 2.x (K08): {duration, evseId}.
    private static byte[] BuildGet(OcppVersion version, RoamingSession session, int duration) => Write(w =>
    {
        w.WriteNumber(version == OcppVersion.Ocpp16 ? "connectorId" : "evseId", session.ConnectorId);
        w.WriteNumber("duration", duration);
    });

    // 1.6 ClearChargingProfile.req (§5.5): {id}; 2.x (K10): {chargingProfileId}.
    private static byte[] BuildClear(OcppVersion version, RoamingSession session) =>
        Write(w => w.WriteNumber(version == OcppVersion.Ocpp16 ? "id" : "chargingProfileId", ProfileId(session.TransactionId)));

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static ChargingProfileReception Refuse(int statusCode, string result, string message) =>
        new(new ChargingProfileResponse { Result = result, Timeout = 0 }, statusCode, message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OCPI {Action} result for partner {PartnerId} not delivered to {ResponseUrl}: HTTP {HttpStatus} / {StatusCode}")]
    private static partial void LogResultNotDelivered(ILogger logger, string action, string partnerId, string responseUrl, int httpStatus, int statusCode);
}
