using System.Text;
using EvCloud.Fast.Ocpp.Messages;

namespace EvCloud.Fast.Ocpp.Tests.Messages;

public class OcppSchemaSetTests
{
    private static readonly string SchemaRoot = FindSchemaRoot();

    [Theory]
    [InlineData(OcppVersion.Ocpp16, "ocpp1.6", 39)]
    [InlineData(OcppVersion.Ocpp201, "ocpp2.0.1", 64)]
    [InlineData(OcppVersion.Ocpp21, "ocpp2.1", 91)]
    public void EveryAction_HasItsSchemaFiles_AndTheCountMatchesTheFolder(OcppVersion version, string folder, int expectedActions)
    {
        IReadOnlyList<OcppAction> actions = SchemaFixture.Schemas.Actions(version);

        Assert.Equal(expectedActions, actions.Count);
        string[] files = Directory.GetFiles(Path.Combine(SchemaRoot, folder), "*.json");
        int compiled = actions.Sum(a => (a.Request is null ? 0 : 1) + (a.Response is null ? 0 : 1));
        Assert.Equal(files.Length, compiled);
        Assert.All(actions, a => Assert.Equal(version, a.Version));
        Assert.All(actions, a => Assert.Equal(version, a.Request!.Version));
    }

    [Fact]
    public void EveryAction_ResolvesFromItsNameBytes_ToTheSameInstance()
    {
        foreach (OcppVersion version in new[] { OcppVersion.Ocpp16, OcppVersion.Ocpp201, OcppVersion.Ocpp21 })
        {
            foreach (OcppAction action in SchemaFixture.Schemas.Actions(version))
            {
                Assert.True(SchemaFixture.Schemas.TryGetAction(version, Encoding.UTF8.GetBytes(action.Name), out OcppAction? found));
                Assert.Same(action, found);
            }
        }
    }

    [Fact]
    public void ActionNames_AreInterned_SoTheyAreTheLiteralInstance()
    {
        Assert.True(SchemaFixture.Schemas.TryGetAction(OcppVersion.Ocpp16, "BootNotification"u8, out OcppAction? action));

        Assert.Same("BootNotification", action.Name);
    }

    [Fact]
    public void EveryRequestResponsePair_IsComplete_ExceptTheSendOnlyMessage()
    {
        foreach (OcppVersion version in new[] { OcppVersion.Ocpp16, OcppVersion.Ocpp201, OcppVersion.Ocpp21 })
        {
            foreach (OcppAction action in SchemaFixture.Schemas.Actions(version))
            {
                Assert.NotNull(action.Request);
                if (action.Name != "NotifyPeriodicEventStream")
                {
                    Assert.NotNull(action.Response);
                }
            }
        }

        Assert.True(SchemaFixture.Schemas.TryGetAction(OcppVersion.Ocpp21, "NotifyPeriodicEventStream"u8, out OcppAction? send));
        Assert.Null(send.Response);
        Assert.Equal("NotifyPeriodicEventStream", send.Request!.Name);
    }

    [Fact]
    public void SchemaNames_FollowEachVersionsFileNaming()
    {
        Assert.Equal("BootNotification", SchemaFixture.Schema(OcppVersion.Ocpp16, "BootNotification").Name);
        Assert.Equal("BootNotificationResponse", SchemaFixture.Schema(OcppVersion.Ocpp16, "BootNotification", response: true).Name);
        Assert.Equal("BootNotificationRequest", SchemaFixture.Schema(OcppVersion.Ocpp201, "BootNotification").Name);
        Assert.Equal("BootNotificationResponse", SchemaFixture.Schema(OcppVersion.Ocpp21, "BootNotification", response: true).Name);
    }

    [Theory]
    [InlineData(OcppVersion.Ocpp16, "bootnotification")] // action names are case-sensitive
    [InlineData(OcppVersion.Ocpp16, "BootNotificationResponse")] // a schema file name, not an action
    [InlineData(OcppVersion.Ocpp16, "TransactionEvent")] // 2.x only
    [InlineData(OcppVersion.Ocpp201, "StartTransaction")] // 1.6 only
    [InlineData(OcppVersion.Ocpp201, "NotifyPeriodicEventStream")] // 2.1 only
    [InlineData(OcppVersion.Ocpp201, "BootNotificationRequest")] // a schema file name, not an action
    [InlineData(OcppVersion.Ocpp21, "")] // empty action
    [InlineData(OcppVersion.None, "BootNotification")] // no negotiated version
    public void TryGetAction_ReturnsFalse_ForAnActionTheVersionDoesNotHave(OcppVersion version, string name)
    {
        Assert.False(SchemaFixture.Schemas.TryGetAction(version, Encoding.UTF8.GetBytes(name), out OcppAction? action));
        Assert.Null(action);
    }

    [Fact]
    public void Actions_IsEmpty_ForNone()
    {
        Assert.Empty(SchemaFixture.Schemas.Actions(OcppVersion.None));
    }

    [Fact]
    public void LoadEmbedded_ReturnsOneSharedInstance()
    {
        Assert.Same(OcppSchemaSet.LoadEmbedded(), OcppSchemaSet.LoadEmbedded());
    }

    [Fact]
    public void EmbeddedResources_AreAllTheSchemaFiles()
    {
        string[] resources = typeof(OcppSchemaSet).Assembly.GetManifestResourceNames()
            .Select(n => n.Replace('\\', '/'))
            .Where(n => n.StartsWith("Schemas/", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .ToArray();

        Assert.Equal(387, resources.Length);
        Assert.Contains("Schemas/ocpp1.6/BootNotification.json", resources);
        Assert.Contains("Schemas/ocpp2.1/NotifyPeriodicEventStream.json", resources);
    }

    [Fact]
    public void TryGetAction_DoesNotAllocate()
    {
        OcppSchemaSet schemas = SchemaFixture.Schemas;
        ReadOnlySpan<byte> name = "StatusNotification"u8;
        schemas.TryGetAction(OcppVersion.Ocpp16, name, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            schemas.TryGetAction(OcppVersion.Ocpp16, name, out _);
            schemas.TryGetAction(OcppVersion.Ocpp201, "TransactionEvent"u8, out _);
            schemas.TryGetAction(OcppVersion.Ocpp21, "NoSuchAction"u8, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static string FindSchemaRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "src", "EvCloud.Fast.Ocpp", "Schemas");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("src/EvCloud.Fast.Ocpp/Schemas not found above " + AppContext.BaseDirectory);
    }
}
