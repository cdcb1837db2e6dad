namespace EvCloud.Fast.Ocpp.Tests.TestSupport;

/// <summary>Measures what an operation allocates on the calling thread, in bytes per 1,000 runs.</summary>
internal static class AllocationMeter
{
    public const int Iterations = 1000;

    private const int Windows = 3;

    // NOTE: a GC started by a test on another thread retires this thread's allocation context and charges its unused
    // tail here in one lump, so one window can read a few hundred bytes that nothing allocated. An allocation per
    // run costs at least 24 B x 1,000 in every window; the smallest of several windows tells the two apart.
    public static long Measure(Action run)
    {
        for (int i = 0; i < 100; i++)
        {
            run();
        }

        long smallest = long.MaxValue;
        for (int window = 0; window < Windows; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Iterations; i++)
            {
                run();
            }

            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return smallest;
    }
}
