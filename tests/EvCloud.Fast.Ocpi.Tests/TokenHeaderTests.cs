using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Tests;

public sealed class TokenHeaderTests
{
    [Fact]
    public void Format_Base64EncodesOnlyWhenAsked()
    {
        Assert.Equal("Token ZXhhbXBsZS10b2tlbg==", CredentialsTokenHeader.Format("example-token", TokenEncoding.Base64));
        Assert.Equal("Token example-token", CredentialsTokenHeader.Format("example-token", TokenEncoding.Plain));
    }

    [Fact]
    public void Candidates_OfTheSpecExample_DecodeToTheToken_WithoutTheTrailingNewline()
    {
        // OCPI 2.2.1 §4.1.3 example: "ZXhhbXBsZS10b2tlbgo=" is base64("example-token\n").
        (string? literal, string? decoded) = CredentialsTokenHeader.Candidates("Token ZXhhbXBsZS10b2tlbgo=");

        Assert.Equal("ZXhhbXBsZS10b2tlbgo=", literal);
        Assert.Equal("example-token", decoded);
    }

    [Fact]
    public void Candidates_OfAPlainToken_HaveNoDecoding()
    {
        (string? literal, string? decoded) = CredentialsTokenHeader.Candidates("token ebf3b399-779f-4497-9b9d-ac6ad3cc44d2");

        Assert.Equal("ebf3b399-779f-4497-9b9d-ac6ad3cc44d2", literal);
        Assert.Null(decoded);
    }

    [Theory]
    [InlineData(null)] // no header
    [InlineData("")] // empty header
    [InlineData("Bearer abc")] // another scheme
    [InlineData("Token ")] // scheme without token
    [InlineData("Basic dXNlcjpwYXNz")] // HTTP Basic
    public void Candidates_AreEmpty_ForAnythingButTheTokenScheme(string? header)
    {
        Assert.Equal((null, null), CredentialsTokenHeader.Candidates(header));
    }

    [Theory]
    [InlineData("AAECAw==")] // decodes to control characters, not a printable token
    [InlineData("abc")] // not a multiple of four
    [InlineData("!!!!")] // not Base64
    public void TryDecode_RefusesWhatCannotBeAToken(string value) => Assert.Null(CredentialsTokenHeader.TryDecode(value));

    [Theory]
    [InlineData("a b")] // whitespace
    [InlineData("")] // empty
    [InlineData("tøken")] // not ASCII
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123x")] // 65 characters, string(64)
    public void IsValidToken_RefusesWhatOcpiForbids(string token) => Assert.False(CredentialsTokenHeader.IsValidToken(token));

    [Fact]
    public void NewToken_IsAValidCredentialsToken_ThatNeverLooksLikeBase64()
    {
        string token = CredentialsTokenHeader.NewToken();

        Assert.True(CredentialsTokenHeader.IsValidToken(token));
        Assert.Equal(43, token.Length);
        Assert.Null(CredentialsTokenHeader.TryDecode(token));
    }
}
