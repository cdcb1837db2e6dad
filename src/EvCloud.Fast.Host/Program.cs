using EvCloud.Fast.Host;

if (EvCloudServer.TryRunTool(args, Console.Out))
{
    return;
}

WebApplication app = EvCloudServer.Build(args);
await app.RunAsync();
