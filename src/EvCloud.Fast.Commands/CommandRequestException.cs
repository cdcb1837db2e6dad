
namespace EvCloud.Fast.Commands;

/// <summary>
/// A command request that is invalid, or that the charger's OCPP version cannot express (a 2.x-only option sent to a
/// 1.6 charger, a 1.6 transaction id that is not an integer). Thrown before anything is sent, so the REST layer can
/// answer 400 with <see cref="Exception.Message"/>, which names the offending field in its camelCase JSON spelling.
/// </summary>
public sealed class CommandRequestException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/> (JSON path such as <c>chargingLimit.unit</c>).</summary>
    public CommandRequestException(string field, string message)
        : base(message)
    {
        Field = field;
    }

    /// <summary>Creates the exception without a field; prefer the constructor that names one.</summary>
    public CommandRequestException()
        : this(string.Empty, "The command request is invalid.")
    {
    }

    /// <summary>Creates the exception without a field; prefer the constructor that names one.</summary>
    public CommandRequestException(string message)
        : this(string.Empty, message)
    {
    }

    /// <summary>Creates the exception without a field, wrapping <paramref name="innerException"/>.</summary>
    public CommandRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = string.Empty;
    }

    /// <summary>The request field at fault, as the REST client spells it (<c>idTag</c>, <c>settings[2].key</c>); empty if none.</summary>
    public string Field { get; }
}
