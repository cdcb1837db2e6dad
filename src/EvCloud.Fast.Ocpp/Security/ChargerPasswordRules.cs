using System.Buffers;

namespace EvCloud.Fast.Ocpp.Security;

/// <summary>
/// What a charger's HTTP Basic password may be, per specification. Both forms are stored as the exact bytes the
/// charger puts after <c>{chargePointId}:</c> in the <c>Authorization</c> header.
/// </summary>
public static class ChargerPasswordRules
{
    /// <summary>OCPP 2.0.1 Part 2 A00.FR.205: at least 16 characters.</summary>
    public const int MinPasswordLength = 16;

    /// <summary>OCPP 2.0.1 <c>BasicAuthPassword</c> is a passwordString of at most 40 characters.</summary>
    public const int MaxPasswordLength = 40;

    /// <summary>OCPP 1.6 Security Whitepaper: the <c>AuthorizationKey</c> is 16 to 20 bytes.</summary>
    public const int MinKeyBytes = 16;

    /// <summary>OCPP 1.6 Security Whitepaper: at most 20 bytes (40 hexadecimal digits).</summary>
    public const int MaxKeyBytes = 20;

    // OCPP 2.0.1 Part 2 §2.1.4 (primitive datatypes): passwordString is a-z, A-Z, 0-9 and * - _ = : + | @ .
    private static readonly SearchValues<char> PasswordStringChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*-_=:+|@.");

    /// <summary>
    /// Checks an OCPP 2.0.1 passwordString (16–40 characters of the passwordString set). Such a password of at most
    /// 20 characters also serves a 1.6 charger, whose <c>AuthorizationKey</c> is then its hexadecimal form.
    /// </summary>
    public static bool IsValidPassword(string? password, out string? error)
    {
        if (password is null || password.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            error = $"the password must be {MinPasswordLength} to {MaxPasswordLength} characters";
            return false;
        }

        if (password.AsSpan().IndexOfAnyExcept(PasswordStringChars) >= 0)
        {
            error = "the password may only contain a-z, A-Z, 0-9 and * - _ = : + | @ .";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Decodes an OCPP 1.6 <c>AuthorizationKey</c>: 32 to 40 hexadecimal digits, i.e. 16 to 20 bytes of any value.</summary>
    public static bool TryDecodeAuthorizationKey(string? hex, out byte[] key, out string? error)
    {
        key = [];
        if (hex is null || hex.Length % 2 != 0 || hex.Length is < MinKeyBytes * 2 or > MaxKeyBytes * 2 || !IsHex(hex))
        {
            error = $"an AuthorizationKey is {MinKeyBytes * 2} to {MaxKeyBytes * 2} hexadecimal digits ({MinKeyBytes} to {MaxKeyBytes} bytes)";
            return false;
        }

        key = Convert.FromHexString(hex);
        error = null;
        return true;
    }

    /// <summary>
    /// A random password valid for both 1.6 (20 bytes) and 2.0.1 (passwordString): 20 letters and digits, about 119
    /// bits. No punctuation, because some charger firmware mangles ':' or '|' in its configuration.
    /// </summary>
    public static string Generate(int length = MaxKeyBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, MinPasswordLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxPasswordLength);
        return System.Security.Cryptography.RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length);
    }

    private static bool IsHex(string s)
    {
        foreach (char c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
