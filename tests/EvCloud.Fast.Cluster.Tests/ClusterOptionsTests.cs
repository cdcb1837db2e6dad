using EvCloud.Fast.Cluster.Nats;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;

namespace EvCloud.Fast.Cluster.Tests;

public sealed class ClusterOptionsTests
{
    private static ClusterOptions Bind(params (string Key, string Value)[] settings)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create("Cluster:" + s.Key, (string?)s.Value)))
            .Build();
        return configuration.GetSection("Cluster").Get<ClusterOptions>() ?? new ClusterOptions();
    }

    [Fact]
    public void TheDefault_IsTheSingleProcess_AndNeedsNothingElse()
    {
        ClusterOptions options = Bind();
        Assert.Equal(ClusterRole.All, options.Role);
        options.Validate();
    }

    [Fact]
    public void AGateway_WithoutNodeIdAndUrl_RefusesToStart_NamingBoth()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => Bind(("Role", "gateway")).Validate());
        Assert.Contains("Cluster:NodeId is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cluster:Nats:Url is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NodeId", "gw 1", "Cluster:NodeId 'gw 1'")] // a space cannot be part of a subject token
    [InlineData("NodeId", "gw.1", "Cluster:NodeId 'gw.1'")] // a dot would split the subject
    [InlineData("NodeId", "a-node-id-that-is-longer-than-32-chars", "Cluster:NodeId")] // over the limit
    [InlineData("Nats:Url", "http://127.0.0.1:4222", "is not a nats://")] // wrong scheme
    [InlineData("Nats:CredsFile", "/nonexistent/user.creds", "does not exist")] // a missing file fails at start, not at first use
    [InlineData("Nats:User", "evcloud", "User and Cluster:Nats:Password go together")] // half of a pair
    [InlineData("Nats:TlsCertFile", "/nonexistent/cert.pem", "TlsCertFile and Cluster:Nats:TlsKeyFile go together")] // half of a pair
    [InlineData("ClaimTimeout", "00:00:00", "ClaimTimeout must be positive")] // would never wait
    public void AGatewayWithABadSetting_RefusesToStart_SayingWhich(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string> { ["Role"] = "gateway", ["NodeId"] = "gw-1", ["Nats:Url"] = "nats://127.0.0.1:4222" };
        settings[key] = value;
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => Bind([.. settings.Select(p => (p.Key, p.Value))]).Validate());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCoreRole_IsRefusedWithAClearMessage_UntilItExists()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(
            () => Bind(("Role", "core"), ("NodeId", "core-1"), ("Nats:Url", "nats://127.0.0.1:4222")).Validate());
        Assert.Contains("Cluster:Role=core is not available", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CredentialsAndTls_ReachTheClientOptions()
    {
        string seed = Path.GetTempFileName();
        File.WriteAllText(seed, "SUAMLK2ZNL35WSMW37E7UD4VZ7ELPKW7DHC3BWBSD2GCZ7IUQQXZIORRBU\n");
        try
        {
            ClusterOptions options = Bind(("Role", "gateway"), ("NodeId", "gw-1"), ("Nats:Url", "tls://nats-1:4222,tls://nats-2:4222"), ("Nats:NKeySeedFile", seed));
            options.Validate();
            NatsOpts opts = ClusterConnection.CreateOpts(options, NullLoggerFactory.Instance);
            Assert.Equal("tls://nats-1:4222,tls://nats-2:4222", opts.Url);
            Assert.StartsWith("SU", opts.AuthOpts.Seed, StringComparison.Ordinal);
            Assert.Equal(TlsMode.Auto, opts.TlsOpts.Mode);
            Assert.Equal(-1, opts.MaxReconnectRetry);

            ClusterOptions password = Bind(("Role", "gateway"), ("NodeId", "gw-1"), ("Nats:Url", "nats://127.0.0.1:4222"), ("Nats:User", "u"), ("Nats:Password", "p"), ("Nats:RequireTls", "true"));
            password.Validate();
            NatsOpts withPassword = ClusterConnection.CreateOpts(password, NullLoggerFactory.Instance);
            Assert.Equal(("u", "p"), (withPassword.AuthOpts.Username, withPassword.AuthOpts.Password));
            Assert.Equal(TlsMode.Require, withPassword.TlsOpts.Mode);
        }
        finally
        {
            File.Delete(seed);
        }
    }

    [Fact]
    public void AddEvCloudCluster_ValidatesAtStart_AndRegistersNothingForTheDefaultRole()
    {
        var services = new ServiceCollection();
        services.AddEvCloudCluster(new ConfigurationBuilder().Build(), "ready");
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(ClusterConnection));

        IConfiguration bad = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Cluster:Role", (string?)"gateway")]).Build();
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddEvCloudCluster(bad, "ready"));
    }
}
