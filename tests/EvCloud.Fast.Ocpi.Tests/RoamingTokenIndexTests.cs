using EvCloud.Fast.Ocpi.Tokens;
using EvCloud.Fast.Ocpp.Authorization;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Tests.Shared;

namespace EvCloud.Fast.Ocpi.Tests;

/// <summary>The uid index a transaction start uses to find its roaming token and the partner that owns it.</summary>
public sealed class RoamingTokenIndexTests
{
    [Fact]
    public async Task FindByUid_FindsTheNewestTokenOfAUid_AcrossARestart_WithoutScanning()
    {
        string directory = Path.Combine(Path.GetTempPath(), "evcloud-tokens-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (StorageEngine storage = Open(directory))
            {
                var tokens = new RoamingTokenStore(storage, new TokenStore(new TokenOptions()));
                Assert.Null(tokens.FindByUid("CARD-1"));
                await tokens.PutAsync("emsp-a", Token("NL", "AAA", "CARD-1"), CancellationToken.None);
                await tokens.PutAsync("emsp-b", Token("DE", "BBB", "CARD-1"), CancellationToken.None);
                await tokens.PutAsync("emsp-a", Token("NL", "AAA", "CARD-1"), CancellationToken.None); // an update, not newer
                await tokens.PutAsync("emsp-a", Token("NL", "AAA", "CARD-2"), CancellationToken.None);

                Assert.Equal("emsp-b", tokens.FindByUid("CARD-1")?.PartnerId);
                Assert.Equal("emsp-b", tokens.FindByUid("card-1")?.PartnerId); // CiString
                Assert.Equal("NL", tokens.FindByUid("CARD-2")?.Token.CountryCode);
            }

            await using StorageEngine reopened = Open(directory);
            var again = new RoamingTokenStore(reopened, new TokenStore(new TokenOptions()));
            Assert.Equal("emsp-b", again.FindByUid("CARD-1")?.PartnerId);
            Assert.Null(again.FindByUid("CARD-3"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static OcpiToken Token(string countryCode, string partyId, string uid) => new()
    {
        CountryCode = countryCode,
        PartyId = partyId,
        Uid = uid,
        Type = "RFID",
        ContractId = countryCode + "-" + partyId + "-C" + uid,
        Issuer = partyId,
        Valid = true,
        Whitelist = "ALLOWED",
        LastUpdated = DateTimeOffset.UtcNow,
    };

    private static StorageEngine Open(string directory) => StorageEngine.Open(SmallStorage.Options(directory));
}
