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

IFuzzTarget target = FuzzTargets.Create(args[0]);
try
{
    if (args.Length > 1)
    {
        bool verbose = Environment.GetEnvironmentVariable("EVCLOUD_FUZZ_VERBOSE") == "1";
        int crashed = 0;
        foreach (string file in args.Skip(1))
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
                if (verbose && target is DispatcherTarget dispatcher)
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

    Fuzzer.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    });
    return 0;
}
finally
{
    (target as IDisposable)?.Dispose();
}
