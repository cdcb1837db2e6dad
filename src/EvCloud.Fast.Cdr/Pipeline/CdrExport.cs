using System.Globalization;
using System.Text;

namespace EvCloud.Fast.Cdr.Pipeline;

/// <summary>Exports of the CDR store for settlement: CSV (one row per CDR, RFC 4180) or JSON lines (one OCPI CDR per line).</summary>
public static class CdrExport
{
    /// <summary>The CSV columns, in order.</summary>
    public const string CsvHeader =
        "id,transaction_id,charger_id,connector_id,id_tag,start_date_time,end_date_time,total_energy_kwh,currency,total_excl_vat,total_incl_vat,tariff_id,credit,credit_reference_id,created";

    /// <summary>Writes every CDR matching the filters (session end from inclusive, to exclusive); returns how many.</summary>
    public static async Task<int> WriteAsync(CdrStore store, TextWriter output, string format, DateTimeOffset? from, DateTimeOffset? to, string? chargerId, string? idTag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(output);
        bool csv = format switch
        {
            "csv" => true,
            "jsonl" => false,
            _ => throw new ArgumentException("format must be csv or jsonl", nameof(format)),
        };
        if (csv)
        {
            await output.WriteLineAsync(CsvHeader).ConfigureAwait(false);
        }

        int count = 0;
        long after = -1;
        while (true)
        {
            IReadOnlyList<CdrSummary> page = store.Query(from, to, chargerId, idTag, after, 500);
            foreach (CdrSummary summary in page)
            {
                if (csv)
                {
                    await output.WriteLineAsync(CsvRow(summary)).ConfigureAwait(false);
                }
                else
                {
                    StoredCdr cdr = await store.ReadAsync(summary, cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync(Encoding.UTF8.GetString(cdr.CdrJson)).ConfigureAwait(false);
                }

                count++;
                after = summary.Address;
            }

            if (page.Count < 500)
            {
                return count;
            }
        }
    }

    /// <summary>
    /// One CSV row; amounts in invariant culture, times in RFC 3339 UTC. Text cells (ids, tokens, charger ids: what a
    /// charger or a partner chose) are guarded against spreadsheet formulas (OWASP "CSV Injection"): a cell starting with
    /// <c>= + - @</c>, tab or carriage return gets a leading apostrophe and is quoted, so <c>=HYPERLINK(...)</c> as an
    /// idTag is shown as text, not run. Numeric columns are written by us as numbers and stay numbers (a credit's
    /// <c>-5.50</c> is not touched).
    /// </summary>
    public static string CsvRow(CdrSummary c)
    {
        ArgumentNullException.ThrowIfNull(c);
        CultureInfo ci = CultureInfo.InvariantCulture;
        return string.Join(',',
            Text(c.Id),
            c.TransactionId.ToString(ci),
            Text(c.ChargerId),
            c.ConnectorId.ToString(ci),
            Text(c.IdTag ?? ""),
            Time(c.StartMs),
            Time(c.EndMs),
            c.TotalEnergyKwh.ToString(ci),
            Text(c.Currency),
            c.TotalExclVat.ToString(ci),
            c.TotalInclVat?.ToString(ci) ?? "",
            Text(c.TariffId ?? ""),
            c.Credit ? "true" : "false",
            Text(c.CreditReferenceId ?? ""),
            Time(c.CreatedMs));
    }

    private static string Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A text cell: neutralised when a spreadsheet would read it as a formula, then quoted as RFC 4180 needs.</summary>
    private static string Text(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
            ? "\"'" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : Quote(value);

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
