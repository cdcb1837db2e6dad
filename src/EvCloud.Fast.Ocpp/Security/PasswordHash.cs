using System.Globalization;
using System.Security.Cryptography;

namespace EvCloud.Fast.Ocpp.Security;

/// <summary>
/// A salted PBKDF2-SHA256 password hash in the text form <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;base64 salt&gt;$&lt;base64 hash&gt;</c>,
/// which any PBKDF2 implementation can produce (Python: <c>hashlib.pbkdf2_hmac("sha256", pw, salt, n)</c>).
/// </summary>
public sealed class PasswordHash
{
    /// <summary>The scheme prefix of the text form.</summary>
    public const string Scheme = "pbkdf2-sha256";

    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const int MinIterations = 1_000;
    private const int MaxIterations = 10_000_000;

    private readonly byte[] _salt;
    private readonly byte[] _hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash)
    {
        Iterations = iterations;
        _salt = salt;
        _hash = hash;
    }

    /// <summary>PBKDF2 iterations.</summary>
    public int Iterations { get; }

    /// <summary>Hashes <paramref name="password"/> (the exact bytes the charger sends) with a fresh random salt.</summary>
    public static PasswordHash Create(ReadOnlySpan<byte> password, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new PasswordHash(iterations, salt, Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashBytes));
    }

    /// <summary>Parses the text form; false when it is not one.</summary>
    public static bool TryParse(string? text, out PasswordHash hash)
    {
        hash = null!;
        string[] parts = text?.Split('$') ?? [];
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int iterations)
            || iterations is < MinIterations or > MaxIterations)
        {
            return false;
        }

        try
        {
            byte[] salt = Convert.FromBase64String(parts[2]);
            byte[] derived = Convert.FromBase64String(parts[3]);
            if (salt.Length < 8 || derived.Length != HashBytes)
            {
                return false;
            }

            hash = new PasswordHash(iterations, salt, derived);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="password"/> matches: one full PBKDF2 run and a constant-time comparison, whatever the input.</summary>
    public bool Verify(ReadOnlySpan<byte> password)
    {
        Span<byte> derived = stackalloc byte[HashBytes];
        Rfc2898DeriveBytes.Pbkdf2(password, _salt, derived, Iterations, HashAlgorithmName.SHA256);
        return CryptographicOperations.FixedTimeEquals(derived, _hash);
    }

    /// <summary>The text form.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Convert.ToBase64String(_salt)}${Convert.ToBase64String(_hash)}");
}
