using System.Text;

namespace EvCloud.Fast.Ocpp.Codegen;

/// <summary>How schema names become C# identifiers.</summary>
internal static class Names
{
    /// <summary>
    /// <c>chargingProfile</c> → <c>ChargingProfile</c>; <c>Energy.Active.Import.Register</c> → <c>EnergyActiveImportRegister</c>;
    /// <c>L1-N</c> → <c>L1N</c>; <c>AC_single_phase</c> → <c>ACSinglePhase</c>. Every run of characters that cannot be in an
    /// identifier splits the name, and each part starts with an upper-case letter; the rest of each part is kept as is,
    /// so <c>ISO15118Certificate</c> and <c>kWh</c> (→ <c>KWh</c>) stay readable. A name that would start with a digit gets
    /// a leading underscore.
    /// </summary>
    public static string Pascal(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        bool startPart = true;
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                startPart = true;
                continue;
            }

            builder.Append(startPart ? char.ToUpperInvariant(c) : c);
            startPart = false;
        }

        if (builder.Length == 0)
        {
            throw new InvalidOperationException($"'{name}' has no letters or digits to name a C# member after.");
        }

        if (char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }
}
