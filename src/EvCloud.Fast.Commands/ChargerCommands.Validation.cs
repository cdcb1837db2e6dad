using EvCloud.Fast.Ocpp;

namespace EvCloud.Fast.Commands;

public static partial class ChargerCommands
{
    private static void RequireKnown(OcppVersion version)
    {
        if (version is not (OcppVersion.Ocpp16 or OcppVersion.Ocpp201 or OcppVersion.Ocpp21))
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "The charger has no negotiated OCPP version.");
        }
    }

    private static string RequireText(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw new CommandRequestException(field, $"{field} is required.") : value;

    private static void CheckLength(string value, int maxLength, string field)
    {
        if (value.Length > maxLength)
        {
            throw new CommandRequestException(field, $"{field} is {value.Length} characters long; at most {maxLength} are allowed.");
        }
    }

    private static string RequireIdToken(OcppVersion version, string? value, string field)
    {
        string idTag = RequireText(value, field);
        int maxLength = version switch
        {
            OcppVersion.Ocpp16 => Ocpp16IdTagMaxLength,
            OcppVersion.Ocpp201 => 36,
            _ => 255,
        };
        if (idTag.Length > maxLength)
        {
            throw new CommandRequestException(
                field,
                $"{field} is {idTag.Length} characters long; OCPP {VersionName(version)} allows at most {maxLength}.");
        }

        return idTag;
    }

    // A 1.6 idTag has no type, so the type is checked (a typo is still a client error) and then not sent.
    private static string CheckIdTokenType(OcppVersion version, string? value, string field)
    {
        if (value is null)
        {
            return DefaultIdTokenType;
        }

        if (version == OcppVersion.Ocpp21)
        {
            if (value.Length is 0 or > Ocpp21IdTokenTypeMaxLength)
            {
                throw new CommandRequestException(field, $"{field} must be 1 to {Ocpp21IdTokenTypeMaxLength} characters.");
            }

            return value;
        }

        if (Array.IndexOf(Ocpp201IdTokenTypes, value) < 0)
        {
            throw new CommandRequestException(field, $"{field} '{value}' is not one of {string.Join(", ", Ocpp201IdTokenTypes)}.");
        }

        return value;
    }

    private static int? OptionalId(int? value, string field, bool allowZero)
    {
        if (value is int id && (id < 0 || (id == 0 && !allowZero)))
        {
            throw new CommandRequestException(field, allowZero ? $"{field} must not be negative." : $"{field} must be greater than 0.");
        }

        return value;
    }

    private static void RejectOn16(int? value, string field, string why)
    {
        if (value is not null)
        {
            throw new CommandRequestException(field, $"{field} is only supported by OCPP 2.x stations: {why}.");
        }
    }

    // 1.6 chargingSchedulePeriod.limit has multipleOf 0.1; rounding toward zero never raises a cap.
    private static decimal RequireLimit(OcppVersion version, decimal? value, string field)
    {
        decimal limit = value ?? throw new CommandRequestException(field, $"{field} is required.");
        if (limit < 0)
        {
            throw new CommandRequestException(field, $"{field} must not be negative.");
        }

        return version == OcppVersion.Ocpp16 ? Math.Round(limit, 1, MidpointRounding.ToZero) : limit;
    }

    private static string RequireUnit(string? value, string field) => RequireText(value, field) switch
    {
        "A" => "A",
        "W" => "W",
        string other => throw new CommandRequestException(field, $"{field} '{other}' is not one of A, W."),
    };

    private static CommandRequestException UnknownTrigger(OcppVersion version, string message) => new(
        "message",
        $"message '{message}' cannot be triggered on OCPP {VersionName(version)}; supported: "
        + (version switch
        {
            OcppVersion.Ocpp16 => "BootNotification, DiagnosticsStatusNotification, FirmwareStatusNotification, Heartbeat, MeterValues, StatusNotification, LogStatusNotification, SignChargePointCertificate",
            OcppVersion.Ocpp201 => "BootNotification, LogStatusNotification (DiagnosticsStatusNotification), FirmwareStatusNotification, Heartbeat, MeterValues, SignChargingStationCertificate, SignV2GCertificate, StatusNotification, TransactionEvent, SignCombinedCertificate, PublishFirmwareStatusNotification",
            _ => "BootNotification, LogStatusNotification (DiagnosticsStatusNotification), FirmwareStatusNotification, Heartbeat, MeterValues, SignChargingStationCertificate, SignV2GCertificate, SignV2G20Certificate, StatusNotification, TransactionEvent, SignCombinedCertificate, PublishFirmwareStatusNotification",
        }) + ".");

    private static string VersionName(OcppVersion version) => version switch
    {
        OcppVersion.Ocpp16 => "1.6",
        OcppVersion.Ocpp201 => "2.0.1",
        _ => "2.1",
    };
}
