// NOTE: every test here counts bytes allocated by the whole process (GC.GetTotalAllocatedBytes), so no two may run at
// once: a class measuring in parallel with another would count the other's allocations as its own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
