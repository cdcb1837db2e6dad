using System.Text;
using EvCloud.Fast.Ocpp.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvCloud.Fast.Ocpp.Tests.Security;

public sealed class ChargerCredentialStoreTests : IDisposable
{
    private const string Password = "Charger-Password.01";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "evcloud-cred-tests", Guid.NewGuid().ToString("N"));
    private readonly ManualTime _time = new();

    private string FilePath => Path.Combine(_folder, "credentials.json");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task SetPassword_StoresOnlyASaltedPbkdf2Hash_AndVerifiesTheExactPassword()
    {
        using ChargerCredentialStore store = Store();
        store.SetPassword("CP-1", Password);

        string file = File.ReadAllText(FilePath);
        Assert.DoesNotContain(Password, file, StringComparison.Ordinal);
        Assert.Contains("pbkdf2-sha256$10000$", file, StringComparison.Ordinal);
        Assert.Equal(CredentialCheck.Valid, await store.VerifyAsync("CP-1", Bytes(Password)));
        Assert.Equal(CredentialCheck.BadPassword, await store.VerifyAsync("CP-1", Bytes(Password + "x")));
        Assert.Equal(CredentialCheck.BadPassword, await store.VerifyAsync("CP-1", Bytes(Password.ToUpperInvariant())));
    }

    [Fact]
    public void TheSamePassword_HashesDifferentlyForTwoChargers()
    {
        using ChargerCredentialStore store = Store();
        store.SetPassword("CP-1", Password);
        store.SetPassword("CP-2", Password);
        string file = File.ReadAllText(FilePath);
        string[] hashes = [.. file.Split('"').Where(s => s.StartsWith(PasswordHash.Scheme, StringComparison.Ordinal))];
        Assert.Equal(2, hashes.Length);
        Assert.NotEqual(hashes[0], hashes[1]);
    }

    [Fact]
    public async Task AnUnknownId_AndAWrongPassword_EachCostExactlyOneSlowHash()
    {
        using ChargerCredentialStore store = Store();
        store.SetPassword("CP-1", Password);

        long before = store.SlowVerifications;
        Assert.Equal(CredentialCheck.UnknownCharger, await store.VerifyAsync("CP-NOBODY", Bytes(Password)));
        Assert.Equal(1, store.SlowVerifications - before);

        before = store.SlowVerifications;
        Assert.Equal(CredentialCheck.BadPassword, await store.VerifyAsync("CP-1", Bytes("wrong-Password-123")));
        Assert.Equal(1, store.SlowVerifications - before);

        before = store.SlowVerifications;
        await store.EqualizeAsync();
        Assert.Equal(1, store.SlowVerifications - before);
    }

    [Fact]
    public async Task ARepeatedSuccess_IsServedFromTheCache_ButAWrongPasswordNeverIs()
    {
        using ChargerCredentialStore store = Store();
        store.SetPassword("CP-1", Password);
        Assert.Equal(CredentialCheck.Valid, await store.VerifyAsync("CP-1", Bytes(Password)));

        long before = store.SlowVerifications;
        Assert.Equal(CredentialCheck.Valid, await store.VerifyAsync("CP-1", Bytes(Password)));
        Assert.Equal(0, store.SlowVerifications - before);

        Assert.Equal(CredentialCheck.BadPassword, await store.VerifyAsync("CP-1", Bytes("wrong-Password-123")));
        Assert.Equal(1, store.SlowVerifications - before);
    }

    [Fact]
    public async Task TheCache_ExpiresAfterItsTime()
    {
        using ChargerCredentialStore store = Store(o => o.VerificationCacheTime = TimeSpan.FromMinutes(5));
        store.SetPassword("CP-1", Password);
        await store.VerifyAsync("CP-1", Bytes(Password));
        _time.Advance(TimeSpan.FromMinutes(6));

        long before = store.SlowVerifications;
        Assert.Equal(CredentialCheck.Valid, await store.VerifyAsync("CP-1", Bytes(Password)));
        Assert.Equal(1, store.SlowVerifications - before);
    }

    [Fact]
    public async Task Rotate_WithoutGrace_InvalidatesTheOldPasswordAtOnce_EvenWhenItWasCached()
    {
        using ChargerCredentialStore store = Store();
        store.SetPassword("CP-1", Password);
        Assert.Equal(CredentialCheck.Valid, await store.VerifyAsync("CP-1", Bytes(Password)));

        string next = store.RotatePassword("CP-1");
        Assert.True(ChargerPasswordRules.IsValidPassword(next, out _));
        Assert.Equal(20, next.Length);
        Assert.Equal(CredentialCheck.BadPassword, await store.VerifyAsync("CP-1", Bytes(Password)));
        Assert.Equal(CredentialCheck.Valid, await store.VerifyAsync("CP-1", Bytes(next)));
    }

    [Fact]
    public async Task Rotate_WithGrace_KeepsThePreviousPasswordUntilTheDeadline()
    {
        using ChargerCredentialStore store = Store();
        store.SetPassword("CP-1", Password);
        store.RotatePassword("CP-1", "Next-Password-0002", previousValidFor: TimeSpan.FromMinutes(10));

        Assert.Equal(CredentialCheck.Valid, await store.VerifyAsync("CP-1", Bytes(Password)));
        Assert.Equal(CredentialCheck.Valid, await store.VerifyAsync("CP-1", Bytes("Next-Password-0002")));
        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(CredentialCheck.BadPassword, await store.VerifyAsync("CP-1", Bytes(Password))); // cached, but past the deadline
        Assert.Equal(CredentialCheck.Valid, await store.VerifyAsync("CP-1", Bytes("Next-Password-0002")));
    }

    [Fact]
    public async Task Revoke_RefusesTheCharger_AndKeepsRequiringAuthentication()
    {
        using ChargerCredentialStore store = Store();
        store.SetPassword("CP-1", Password);
        await store.VerifyAsync("CP-1", Bytes(Password));

        Assert.True(store.Revoke("CP-1"));
        Assert.Equal(CredentialCheck.UnknownCharger, await store.VerifyAsync("CP-1", Bytes(Password)));
        Assert.Equal(SecurityProfile.Basic, store.RequiredProfile("CP-1")); // not silently back to the default 0
        Assert.Equal(SecurityProfile.None, store.RequiredProfile("CP-NEVER-SET"));
    }

    [Fact]
    public async Task RunTimeChanges_SurviveARestart_AndWinOverTheConfiguration()
    {
        var configured = new ChargerSecuritySettings { Password = "Configured-Password-1" };
        using (ChargerCredentialStore first = Store(o => o.Chargers["CP-1"] = configured))
        {
            Assert.Equal(CredentialCheck.Valid, await first.VerifyAsync("CP-1", Bytes("Configured-Password-1")));
            first.SetPassword("CP-1", Password);
            first.SetProfile("CP-1", SecurityProfile.TlsBasic);
        }

        using ChargerCredentialStore second = Store(o => o.Chargers["CP-1"] = configured);
        Assert.Equal(CredentialCheck.Valid, await second.VerifyAsync("CP-1", Bytes(Password)));
        Assert.Equal(CredentialCheck.BadPassword, await second.VerifyAsync("CP-1", Bytes("Configured-Password-1")));
        Assert.Equal(SecurityProfile.TlsBasic, second.RequiredProfile("CP-1"));
    }

    [Fact]
    public async Task AConfiguredPasswordHash_InTheDocumentedFormat_Verifies()
    {
        // Made with: python3 -c 'import hashlib,base64; ...pbkdf2_hmac("sha256", b"CP-0001-Bootstrap.Pw", b"0123456789abcdef", 10000)'
        const string Hash = "pbkdf2-sha256$10000$MDEyMzQ1Njc4OWFiY2RlZg==$8+NoLc3iPHa9A+D4nJSDcn3yWuR1n2KJw8fBBaHnGoU=";
        using ChargerCredentialStore store = Store(o => o.Chargers["CP-0001"] = new ChargerSecuritySettings { PasswordHash = Hash });
        Assert.Equal(CredentialCheck.Valid, await store.VerifyAsync("CP-0001", Bytes("CP-0001-Bootstrap.Pw")));
        Assert.Equal(SecurityProfile.Basic, store.RequiredProfile("CP-0001"));
        Assert.True(PasswordHash.TryParse(Hash, out PasswordHash parsed));
        Assert.Equal(Hash, parsed.ToString());
    }

    [Fact]
    public async Task A16AuthorizationKey_IsCheckedAsItsBytes()
    {
        using ChargerCredentialStore store = Store();
        store.SetAuthorizationKey("CP-16", "00113A3344556677889900AABBCCDDEEFF3A0D0A");
        Assert.Equal(CredentialCheck.Valid, await store.VerifyAsync("CP-16", Convert.FromHexString("00113A3344556677889900AABBCCDDEEFF3A0D0A")));
        Assert.Equal(CredentialCheck.BadPassword, await store.VerifyAsync("CP-16", Bytes("00113A3344556677889900AABBCCDDEEFF3A0D0A")));
    }

    [Theory]
    [InlineData("fifteen-chars-1")] // 15 characters: below the minimum of 16
    [InlineData("forty-one-characters-is-one-too-many-1234")] // 41 characters: above BasicAuthPassword's 40
    [InlineData("has a space in it-12")] // space is not in passwordString
    [InlineData("exclamation-mark!-12")] // '!' is not in passwordString
    [InlineData("ümlaut-is-not-ascii-1")] // passwordString is ASCII only
    [InlineData("")] // empty
    public void SetPassword_RefusesWhatTheSpecificationForbids(string password)
    {
        using ChargerCredentialStore store = Store();
        Assert.Throws<ArgumentException>(() => store.SetPassword("CP-1", password));
        Assert.False(store.HasPassword("CP-1"));
    }

    [Theory]
    [InlineData("00112233445566778899AABBCCDDEE")] // 15 bytes: below 16
    [InlineData("00112233445566778899AABBCCDDEEFF0011223344")] // 21 bytes: above 20
    [InlineData("00112233445566778899AABBCCDDEEFF0")] // odd number of digits
    [InlineData("00112233445566778899AABBCCDDEEFG")] // 'G' is not hexadecimal
    public void SetAuthorizationKey_RefusesWhatThe16WhitepaperForbids(string hex)
    {
        using ChargerCredentialStore store = Store();
        Assert.Throws<ArgumentException>(() => store.SetAuthorizationKey("CP-1", hex));
    }

    [Theory]
    [InlineData("Secret.PW-with:colon+|@*=_")] // every passwordString punctuation character
    [InlineData("0123456789abcdef")] // exactly 16
    [InlineData("0123456789abcdef0123456789abcdef01234567")] // exactly 40
    public void SetPassword_AcceptsEveryPasswordStringForm(string password)
    {
        using ChargerCredentialStore store = Store();
        store.SetPassword("CP-1", password);
        Assert.True(store.HasPassword("CP-1"));
    }

    [Fact]
    public void APasswordWithoutAnExplicitProfile_RequiresAtLeastProfile1()
    {
        using ChargerCredentialStore store = Store(o => o.Chargers["CP-2"] = new ChargerSecuritySettings { Profile = SecurityProfile.TlsBasic, Password = Password });
        store.SetPassword("CP-1", Password);
        Assert.Equal(SecurityProfile.Basic, store.RequiredProfile("CP-1"));
        Assert.Equal(SecurityProfile.TlsBasic, store.RequiredProfile("CP-2"));
    }

    [Fact]
    public async Task ConcurrentVerifications_AreBoundedByTheGate()
    {
        using ChargerCredentialStore store = Store(o => o.MaxConcurrentVerifications = 1);
        store.SetPassword("CP-1", Password);
        CredentialCheck[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.VerifyAsync("CP-1", Bytes("wrong-Password-" + i + "00")).AsTask()));
        Assert.All(results, r => Assert.Equal(CredentialCheck.BadPassword, r));
        Assert.Equal(8, store.SlowVerifications);
    }

    private ChargerCredentialStore Store(Action<ChargerSecurityOptions>? configure = null)
    {
        var options = new ChargerSecurityOptions { CredentialStorePath = FilePath };
        configure?.Invoke(options);
        return new ChargerCredentialStore(options, _time, NullLogger<ChargerCredentialStore>.Instance);
    }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);
}
