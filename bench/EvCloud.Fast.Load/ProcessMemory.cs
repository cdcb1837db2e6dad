using System.Globalization;

namespace EvCloud.Fast.Load;

/// <summary>A reading of a process's memory from <c>/proc</c> (Linux), in KB.</summary>
/// <param name="AtSeconds">Seconds since the run started.</param>
/// <param name="Label">What the reading is for: baseline, after-settle, …</param>
/// <param name="OpenChargers">WebSockets the simulator had open at the time.</param>
/// <param name="RssKb">VmRSS: resident set.</param>
/// <param name="RssAnonKb">RssAnon: resident private anonymous memory (GC heap, native heap, thread stacks).</param>
/// <param name="RssFileKb">RssFile: resident file-backed pages (runtime, framework and app code).</param>
/// <param name="HwmKb">VmHWM: peak resident set so far.</param>
/// <param name="Threads">Threads of the process.</param>
/// <param name="OpenFiles">Entries in /proc/&lt;pid&gt;/fd (sockets included); -1 if unreadable.</param>
/// <param name="GcRegionRssKb">
/// Resident pages inside the GC's reserved address range (the largest anonymous reservation, 256 GB with
/// regions), found in /proc/&lt;pid&gt;/smaps: a cheap stand-in for the committed GC heap. -1 if not found.
/// </param>
internal sealed record MemoryReading(
    double AtSeconds,
    string Label,
    long OpenChargers,
    long RssKb,
    long RssAnonKb,
    long RssFileKb,
    long HwmKb,
    int Threads,
    int OpenFiles,
    long GcRegionRssKb);

/// <summary>Reads <c>/proc/&lt;pid&gt;/status</c>, <c>/proc/&lt;pid&gt;/fd</c> and <c>/proc/&lt;pid&gt;/smaps</c>.</summary>
internal static class ProcessMemory
{
    /// <summary>Reservations at least this large are taken for the GC's (regions reserve 256 GB by default).</summary>
    private const long GcReservationMinKb = 16L * 1024 * 1024;

    public static MemoryReading Read(int pid, string label, double atSeconds, long openChargers)
    {
        long rss = 0, anon = 0, file = 0, hwm = 0;
        int threads = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line);
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal)) anon = Kb(line);
            else if (line.StartsWith("RssFile:", StringComparison.Ordinal)) file = Kb(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kb(line);
            else if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = (int)Kb(line);
        }

        int openFiles;
        try
        {
            openFiles = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            openFiles = -1;
        }

        return new MemoryReading(Math.Round(atSeconds, 1), label, openChargers, rss, anon, file, hwm, threads, openFiles, GcRegionRss(pid));
    }

    /// <summary>
    /// Sums the RSS of the anonymous mappings that lie in the GC's reservation. The GC reserves one large
    /// range up front and commits pieces of it (each committed piece is a separate rw-p mapping inside the
    /// range), so the range is bounded by the first and last of the adjacent anonymous mappings around the
    /// largest ---p reservation.
    /// </summary>
    private static long GcRegionRss(int pid)
    {
        var maps = new List<(ulong Start, ulong End, bool Anonymous, long RssKb)>();
        try
        {
            (ulong Start, ulong End, bool Anonymous, long RssKb) current = default;
            bool have = false;
            foreach (string line in File.ReadLines($"/proc/{pid}/smaps"))
            {
                if (line.Length > 0 && IsHex(line[0]) && line.Contains('-', StringComparison.Ordinal) && line.Contains(' ', StringComparison.Ordinal))
                {
                    if (have)
                    {
                        maps.Add(current);
                    }

                    string[] parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                    int dash = parts[0].IndexOf('-', StringComparison.Ordinal);
                    if (dash < 0 || parts.Length < 5)
                    {
                        have = false;
                        continue;
                    }

                    ulong start = ulong.Parse(parts[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    ulong end = ulong.Parse(parts[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    bool anonymous = parts.Length < 6 || string.IsNullOrWhiteSpace(parts[5]);
                    current = (start, end, anonymous, 0);
                    have = true;
                }
                else if (have && line.StartsWith("Rss:", StringComparison.Ordinal))
                {
                    current.RssKb = Kb(line);
                }
            }

            if (have)
            {
                maps.Add(current);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return -1;
        }

        // The largest anonymous mapping is (the uncommitted rest of) the GC reservation.
        int largest = -1;
        for (int i = 0; i < maps.Count; i++)
        {
            if (maps[i].Anonymous && (largest < 0 || maps[i].End - maps[i].Start > maps[largest].End - maps[largest].Start))
            {
                largest = i;
            }
        }

        if (largest < 0 || (long)((maps[largest].End - maps[largest].Start) / 1024) < GcReservationMinKb)
        {
            return -1;
        }

        // Walk outwards over contiguous anonymous mappings: the committed regions sit next to the reservation.
        long sum = maps[largest].RssKb;
        for (int i = largest - 1; i >= 0 && maps[i].Anonymous && maps[i].End == maps[i + 1].Start; i--)
        {
            sum += maps[i].RssKb;
        }

        for (int i = largest + 1; i < maps.Count && maps[i].Anonymous && maps[i].Start == maps[i - 1].End; i++)
        {
            sum += maps[i].RssKb;
        }

        return sum;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static long Kb(string line)
    {
        ReadOnlySpan<char> value = line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim();
        int space = value.IndexOf(' ');
        if (space > 0)
        {
            value = value[..space];
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : 0;
    }
}
