using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace EvCloud.Fast.Load;

/// <summary>
/// Induces a full blocking GC in another .NET process through its diagnostics port: an EventPipe session that
/// enables the runtime's GCHeapCollect keyword makes the runtime collect once (the mechanism dotnet-gcdump uses,
/// without asking for the heap walk). Used only with <c>--induce-gc</c>, for readings labelled "-gc".
/// </summary>
internal static class GcTrigger
{
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;

    public static async Task<bool> InduceFullGcAsync(int pid)
    {
        try
        {
            var client = new DiagnosticsClient(pid);
            EventPipeProvider[] providers =
            [
                new("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeyword | GcHeapCollectKeyword),
            ];
            using EventPipeSession session = await client.StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 16, CancellationToken.None).ConfigureAwait(false);
            Task drain = session.EventStream.CopyToAsync(Stream.Null);
            // The collection runs when the session is enabled; give it time to finish before stopping.
            await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            await session.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await drain.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or UnsupportedCommandException or ServerErrorException or IOException or TimeoutException)
        {
            Console.Error.WriteLine($"Could not induce a GC in {pid} through its diagnostics port: {ex.Message}");
            return false;
        }
    }
}
