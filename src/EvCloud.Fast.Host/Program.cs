using EvCloud.Fast.Host;

WebApplication app = EvCloudServer.Build(args);
await app.RunAsync();
