using EvCloud.Fast.Cdr.Pipeline;

namespace EvCloud.Fast.Cdr.Tests;

public sealed class CdrInstallationTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "evcloud-installation-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void AFreshDataDirectory_GetsARandomId_ThatStaysAcrossStarts()
    {
        string data = Path.Combine(_root, "data");
        string id = CdrInstallation.LoadOrCreate(data, hasLegacyCdrs: false);

        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{8}$", id);
        Assert.Equal(id, CdrInstallation.LoadOrCreate(data, hasLegacyCdrs: false));
        Assert.Equal(id, CdrInstallation.LoadOrCreate(data, hasLegacyCdrs: true)); // decided once, on the first start
    }

    [Fact]
    public void AFactoryReset_OrASecondInstallation_NeverReissuesACdrId()
    {
        string first = CdrInstallation.LoadOrCreate(Path.Combine(_root, "a"), hasLegacyCdrs: false);
        string second = CdrInstallation.LoadOrCreate(Path.Combine(_root, "b"), hasLegacyCdrs: false);
        var a = new CdrOptions { InstallationId = first };
        var b = new CdrOptions { InstallationId = second };

        Assert.NotEqual(a.CdrIdOf(1), b.CdrIdOf(1));
        Assert.Equal("CDR-" + first + "-2147483647", a.CdrIdOf(int.MaxValue));
        Assert.True(a.CdrIdOf(int.MaxValue).Length <= 39 - "-C99".Length); // OCPI CiString(39), with room for a credit suffix
    }

    [Fact]
    public void ADataDirectoryWithCdrsFromBeforeTheId_KeepsItsCdrIds()
    {
        string data = Path.Combine(_root, "legacy");
        string id = CdrInstallation.LoadOrCreate(data, hasLegacyCdrs: true);

        Assert.Equal("", id);
        Assert.Equal("CDR-42", new CdrOptions { InstallationId = id }.CdrIdOf(42));
        Assert.Equal("", CdrInstallation.LoadOrCreate(data, hasLegacyCdrs: false));
    }
}
