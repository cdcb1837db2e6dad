using System.Text.Json;
using EvCloud.Fast.Api.Endpoints;
using EvCloud.Fast.Cdr.Pipeline;
using EvCloud.Fast.Ocpp.Authorization;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Storage.Events;

namespace EvCloud.Fast.Api.Events;

/// <summary>
/// Writes the JSON <c>data</c> of one event: <c>{"type", "chargerId", "time", ...fields}</c>, energy in Wh, times as
/// RFC 3339 UTC, statuses by name. Raw OCPP bodies that a charger sent (meter values, notifications) and command
/// payloads are embedded as JSON, as received.
/// </summary>
internal static class ApiEventWriter
{
    public static void Write(Utf8JsonWriter json, string type, DomainEvent e)
    {
        json.WriteStartObject();
        json.WriteString("type", type);
        if (e is DocumentPut { Collection: HeldSession.Collection } put)
        {
            // cdr.held: the session and why it could not be priced (GET /api/v1/cdrs/held has the rest).
            HeldSession held = MessagePack.MessagePackSerializer.Deserialize<HeldSession>(put.Value);
            json.WriteString("chargerId", held.ChargerId);
            json.WriteString("time", DateTimeOffset.FromUnixTimeMilliseconds(e.TimestampMs));
            json.WriteString("cdrId", held.CdrId);
            json.WriteNumber("transactionId", held.TransactionId);
            json.WriteString("reason", held.Reason);
            WriteOptional(json, "tariffId", held.TariffId);
            json.WriteNumber("attempts", held.Attempts);
            json.WriteEndObject();
            return;
        }

        json.WriteString("chargerId", e.ChargerId);
        json.WriteString("time", DateTimeOffset.FromUnixTimeMilliseconds(e.TimestampMs));
        switch (e)
        {
            case ChargerConnected c:
                json.WriteString("protocol", Views.Protocol(c.Protocol));
                WriteOptional(json, "remoteEndPoint", c.RemoteEndpoint);
                break;
            case ChargerDisconnected d:
                json.WriteNumber("closeCode", d.CloseCode);
                break;
            case ChargerBooted b:
                json.WriteString("protocol", Views.Protocol(b.Protocol));
                json.WriteString("registration", Views.Registration(b.RegistrationStatus));
                WriteOptional(json, "vendor", b.Identity.Vendor);
                WriteOptional(json, "model", b.Identity.Model);
                WriteOptional(json, "serialNumber", b.Identity.SerialNumber);
                WriteOptional(json, "firmwareVersion", b.Identity.FirmwareVersion);
                break;
            case StatusChanged s:
                json.WriteNumber("connectorId", s.ConnectorId);
                json.WriteString("status", ((ConnectorStatus)s.Status).ToString());
                json.WriteString("errorCode", ((ChargePointErrorCode)s.ErrorCode).ToString());
                WriteOptional(json, "info", s.Info);
                WriteOptional(json, "vendorErrorCode", s.VendorErrorCode);
                if (s.StatusTimestampMs > 0)
                {
                    json.WriteString("statusTime", DateTimeOffset.FromUnixTimeMilliseconds(s.StatusTimestampMs));
                }

                break;
            case AuthorizeRequested a:
                WriteOptional(json, "idTag", a.IdTag);
                json.WriteString("status", ((AuthorizationStatus)a.ResultStatus).ToString());
                break;
            case TransactionStarted t:
                json.WriteNumber("transactionId", t.TransactionId);
                WriteOptional(json, "chargerTransactionId", t.ExternalTransactionId);
                json.WriteNumber("connectorId", t.ConnectorId);
                WriteOptional(json, "idTag", t.IdTag);
                json.WriteNumber("meterStartWh", Views.Wh(t.MeterStartMilliWh));
                json.WriteString("start", DateTimeOffset.FromUnixTimeMilliseconds(t.StartTimestampMs));
                json.WriteString("authorization", ((AuthorizationStatus)t.AuthStatus).ToString());
                break;
            case MeterSampled m:
                if (m.TransactionId > 0)
                {
                    json.WriteNumber("transactionId", m.TransactionId);
                }

                json.WriteNumber("connectorId", m.ConnectorId);
                json.WriteString("sampleTime", DateTimeOffset.FromUnixTimeMilliseconds(m.SampleTimestampMs));
                if (m.EnergyRegisterMilliWh >= 0)
                {
                    json.WriteNumber("energyRegisterWh", Views.Wh(m.EnergyRegisterMilliWh));
                }

                WriteRaw(json, "meterValues", m.RawMeterValueJson);
                break;
            case TransactionEnded t:
                json.WriteNumber("transactionId", t.TransactionId);
                json.WriteNumber("meterStopWh", Views.Wh(t.MeterStopMilliWh));
                json.WriteString("stop", DateTimeOffset.FromUnixTimeMilliseconds(t.StopTimestampMs));
                WriteOptional(json, "reason", t.Reason);
                WriteOptional(json, "idTag", t.IdTag);
                break;
            case ChargerNotification n:
                WriteOptional(json, "action", n.Action);
                WriteRaw(json, "payload", n.RawPayloadJson);
                break;
            case CommandCompleted c:
                json.WriteString("commandId", c.CommandId);
                json.WriteString("action", c.Action);
                json.WriteString("outcome", c.Outcome);
                WriteRaw(json, "request", c.RequestJson);
                WriteRaw(json, "response", c.ResponseJson);
                WriteOptional(json, "ocppErrorCode", c.ErrorCode);
                WriteOptional(json, "errorDescription", c.ErrorDescription);
                WriteOptional(json, "source", c.Source);
                break;
            case CdrRecorded r:
                json.WriteString("cdrId", r.CdrId);
                json.WriteNumber("transactionId", r.TransactionId);
                json.WriteString("currency", r.Currency);
                json.WriteNumber("totalExclVat", decimal.Parse(r.TotalExclVat, System.Globalization.CultureInfo.InvariantCulture));
                if (r.TotalInclVat is { } inclVat)
                {
                    json.WriteNumber("totalInclVat", decimal.Parse(inclVat, System.Globalization.CultureInfo.InvariantCulture));
                }

                json.WriteNumber("totalEnergyKwh", decimal.Parse(r.TotalEnergyKwh, System.Globalization.CultureInfo.InvariantCulture));
                json.WriteBoolean("credit", r.Credit);
                break;
        }

        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>
    /// Embeds JSON text kept in the log. A lone UTF-16 surrogate escape (valid JSON text, but not Unicode, so no writer
    /// can write it out) is replaced by U+FFFD first; text that still does not parse, or nests deeper than the reader
    /// allows, is embedded as a string instead. Either way the event is written, so one stored event never stops a stream.
    /// </summary>
    private static void WriteRaw(Utf8JsonWriter json, string name, string? rawJson)
    {
        if (string.IsNullOrEmpty(rawJson))
        {
            return;
        }

        string repaired = ReplaceLoneSurrogateEscapes(rawJson);
        try
        {
            using JsonDocument document = JsonDocument.Parse(repaired);
            var copy = new System.Buffers.ArrayBufferWriter<byte>(repaired.Length + 16);
            using (var writer = new Utf8JsonWriter(copy))
            {
                document.RootElement.WriteTo(writer);
            }

            json.WritePropertyName(name);
            json.WriteRawValue(copy.WrittenSpan, skipInputValidation: true);
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or ArgumentException)
        {
            json.WriteString(name, rawJson);
        }
    }

    /// <summary>
    /// <paramref name="rawJson"/> with every <c>\uD800</c>–<c>\uDFFF</c> escape that is not half of a surrogate pair
    /// replaced by <c>\uFFFD</c>; the same instance when there is none (the usual case).
    /// </summary>
    internal static string ReplaceLoneSurrogateEscapes(string rawJson)
    {
        int first = rawJson.IndexOf('\\', StringComparison.Ordinal);
        if (first < 0)
        {
            return rawJson;
        }

        System.Text.StringBuilder? repaired = null;
        int copied = 0;
        for (int i = first; i < rawJson.Length - 1; i++)
        {
            if (rawJson[i] != '\\')
            {
                continue;
            }

            if (rawJson[i + 1] != 'u')
            {
                i++; // a two-character escape: skip its second character (it may be a backslash)
                continue;
            }

            int unit = CodeUnit(rawJson, i + 2);
            if (unit is >= 0xD800 and <= 0xDBFF && i + 7 < rawJson.Length && rawJson[i + 6] == '\\' && rawJson[i + 7] == 'u'
                && CodeUnit(rawJson, i + 8) is >= 0xDC00 and <= 0xDFFF)
            {
                i += 11; // a pair
                continue;
            }

            if (unit is >= 0xD800 and <= 0xDFFF)
            {
                repaired ??= new System.Text.StringBuilder(rawJson.Length);
                repaired.Append(rawJson, copied, i - copied).Append("\\uFFFD");
                copied = i + 6;
            }

            i += 5;
        }

        return repaired is null ? rawJson : repaired.Append(rawJson, copied, rawJson.Length - copied).ToString();
    }

    private static int CodeUnit(string text, int at) =>
        at + 4 <= text.Length && int.TryParse(text.AsSpan(at, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out int unit)
            ? unit
            : -1;
}
