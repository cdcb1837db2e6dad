using EvCloud.Fast.Host;

return await EvCloudCommandLine.InvokeAsync(args, ServeAsync, Console.Out, Console.Error);

static async Task ServeAsync(string[] configuration, CancellationToken cancellationToken)
{
    await using WebApplication app = EvCloudServer.Build(configuration);
    await app.RunAsync(cancellationToken);
}
