using EvCloud.Fast.Fuzz;
using SharpFuzz;

// Usage:
//   EvCloud.Fast.Fuzz <target>                  under afl-fuzz: the fork server, one input per iteration on stdin
//                                               (outside afl-fuzz: one input from stdin)
//   EvCloud.Fast.Fuzz <target> <file>...        replays files, prints each crash with its stack; exit 1 if any
//                                               (EVCLOUD_FUZZ_VERBOSE=1 also prints each message's reply)
//   EvCloud.Fast.Fuzz seed <corpus directory>   writes the message-path seeds derived from the OCPP schemas
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: EvCloud.Fast.Fuzz <" + string.Join("|", FuzzTargets.Names) + "> [file...] | seed <corpus directory>");
    return 2;
}

if (args[0] == "seed")
{
    return SeedCorpus.Write(args.Length > 1 ? args[1] : Path.Combine("fuzz", "corpus"));
}

string name = args[0];
if (!FuzzTargets.Names.Contains(name))
{
    Console.Error.WriteLine($"Unknown target '{name}'; targets: {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}

if (args.Length > 1)
{
    // Replay: run the uninstrumented build (dotnet run), since instrumented code needs afl-fuzz's shared memory.
    IFuzzTarget replayed = FuzzTargets.Create(name);
    try
    {
        bool verbose = Environment.GetEnvironmentVariable("EVCLOUD_FUZZ_VERBOSE") == "1";
        int crashed = 0;
        foreach (string file in args.Skip(1))
        {
            try
            {
                replayed.Run(File.ReadAllBytes(file));
                if (verbose && replayed is DispatcherTarget dispatcher)
                {
                    Console.WriteLine($"{Path.GetFileName(file)} -> {dispatcher.LastReply}");
                }
            }
            catch (Exception ex)
            {
                crashed++;
                Console.WriteLine($"CRASH {file}:\n{ex}\n");
            }
        }

        Console.WriteLine($"{args.Length - 1} input(s), {crashed} crash(es)");
        return crashed == 0 ? 0 : 1;
    }
    finally
    {
        (replayed as IDisposable)?.Dispose();
    }
}

// NOTE: the target is created inside the first iteration, not before Fuzzer.Run: instrumented code (composing the
// gateway runs plenty) writes its coverage to afl-fuzz's shared memory, which Fuzzer.Run maps first.
IFuzzTarget? target = null;
Fuzzer.Run(stream =>
{
    target ??= FuzzTargets.Create(name);
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
});
(target as IDisposable)?.Dispose();
return 0;
