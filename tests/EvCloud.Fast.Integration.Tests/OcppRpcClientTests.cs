using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Integration.Tests.Infrastructure;
using EvCloud.Fast.Ocpp.Rpc;

namespace EvCloud.Fast.Integration.Tests;

/// <summary>
/// End to end with clients that are not ours: .NET's <see cref="ClientWebSocket"/>, and the ocpp-rpc npm
/// package in strict mode, which rejects any answer of ours that violates the official schemas.
/// </summary>
public sealed class OcppRpcClientTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync("--Ocpp:Authorization:UnknownTokens=Accepted");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ClientWebSocket_RunsBootAndHeartbeat()
    {
        using var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol("ocpp1.6");
        await ws.ConnectAsync(_server.ChargerUri("CP-CLIENTWS"), CancellationToken.None);
        Assert.Equal("ocpp1.6", ws.SubProtocol);

        await ws.SendAsync(Encoding.UTF8.GetBytes("[2,\"b1\",\"BootNotification\",{\"chargePointVendor\":\"dotnet\",\"chargePointModel\":\"ws\"}]"), WebSocketMessageType.Text, true, CancellationToken.None);
        JsonElement boot = await ReceiveAsync(ws);
        Assert.Equal("Accepted", OcppAssert.CallResult(boot, "BootNotification").GetProperty("status").GetString());

        await ws.SendAsync(Encoding.UTF8.GetBytes("[2,\"h1\",\"Heartbeat\",{}]"), WebSocketMessageType.Text, true, CancellationToken.None);
        OcppAssert.CallResult(await ReceiveAsync(ws), "Heartbeat");
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
    }

    [Fact]
    public async Task OcppRpcInStrictMode_RunsAWhole16Session_AndAcceptsOurServerCall()
    {
        Dictionary<string, JsonElement> steps = await RunOcppRpcAsync("session16.mjs", "CP-OCPP-RPC", "{\"type\":\"Soft\"}", "--wait-for-reset");
        Assert.Equal("Accepted", steps["boot"].GetProperty("status").GetString());
        Assert.True(steps["start"].GetProperty("transactionId").GetInt32() > 0);
        Assert.Equal("Soft", steps["reset"].GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("ocpp2.0.1")]
    [InlineData("ocpp2.1")]
    public async Task OcppRpcInStrictMode_RunsAWhole2xSession_WithATransaction(string protocol)
    {
        string id = "CP-RPC-" + protocol;
        Dictionary<string, JsonElement> steps = await RunOcppRpcAsync("session2.mjs", id, "{\"type\":\"Immediate\"}", protocol, "--wait-for-reset");
        Assert.Equal("Accepted", steps["boot"].GetProperty("status").GetString());
        Assert.Equal("Accepted", steps["authorize"].GetProperty("idTokenInfo").GetProperty("status").GetString());
        Assert.Equal("Immediate", steps["reset"].GetProperty("type").GetString());

        var tx = Assert.Single(_server.Storage.State.ListTransactions(id));
        Assert.Equal("tx-rpc-1", tx.ExternalId);
        Assert.Equal(EvCloud.Fast.Storage.State.TransactionStatus.Ended, tx.Status);
        Assert.Equal(1_000_000, tx.MeterStartMilliWh);
        Assert.Equal(4_000_000, tx.MeterStopMilliWh);
        Assert.Equal("EVDisconnected", tx.StopReason);
    }

    /// <summary>
    /// Runs a tests/ocpp-rpc script as a charger and, once it is connected, sends it a Reset CALL. Returns the
    /// script's steps. Its stdout reaches us only when it exits, so the test cannot react to progress lines.
    /// </summary>
    private async Task<Dictionary<string, JsonElement>> RunOcppRpcAsync(string scriptName, string chargerId, string resetPayload, params string[] extraArgs)
    {
        string script = Path.Combine(RepositoryRoot(), "tests", "ocpp-rpc", scriptName);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(script)!, "node_modules", "ocpp-rpc", "package.json")),
            "ocpp-rpc is not installed: run `npm ci --prefix tests/ocpp-rpc` (the README's test command does)");

        var psi = new ProcessStartInfo("node", [script, $"ws://127.0.0.1:{_server.OcppEndPoint.Port}/ocpp", chargerId, .. extraArgs])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process node = Process.Start(psi)!;
        Task<string> stdout = node.StandardOutput.ReadToEndAsync();
        Task<string> stderr = node.StandardError.ReadToEndAsync();
        using (var connected = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (!_server.Gateway.Registry.IsConnected(chargerId) && !node.HasExited)
            {
                await Task.Delay(20, connected.Token);
            }
        }

        Task<OcppCallResult> reset = _server.Gateway.CallAsync(chargerId, "Reset", Encoding.UTF8.GetBytes(resetPayload));
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        string output = await stdout;
        Assert.True(node.ExitCode == 0, "ocpp-rpc exited with " + node.ExitCode + ":\n" + output + await stderr);
        Assert.True((await stderr).Length == 0, "ocpp-rpc warned (the README's walk-through shows this):\n" + await stderr);
        OcppCallResult resetResult = await reset.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(resetResult.Status == OcppCallStatus.Completed, "Reset: " + resetResult);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToDictionary(e => e.GetProperty("step").GetString()!, e => e.GetProperty("value"));
    }

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket ws)
    {
        var buffer = new byte[16 * 1024];
        int total = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, total, buffer.Length - total), CancellationToken.None);
            total += result.Count;
        }
        while (!result.EndOfMessage);
        return JsonDocument.Parse(buffer.AsMemory(0, total)).RootElement.Clone();
    }

    internal static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "EvCloud.Fast.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("EvCloud.Fast.sln not found above " + AppContext.BaseDirectory);
    }
}
