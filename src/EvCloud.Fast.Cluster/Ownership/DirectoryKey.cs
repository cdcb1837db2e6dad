using System.Text;

namespace EvCloud.Fast.Cluster.Ownership;

/// <summary>
/// Charge point id ↔ KV key. A charge point id is 1–48 printable ASCII characters, a KV key only
/// <c>A-Z a-z 0-9 - _ = / .</c>: letters, digits and <c>-</c> stay, every other byte becomes <c>_XX</c> (hex), so the
/// mapping is one to one and <c>CP-0001</c> stays readable in <c>nats kv</c> listings.
/// </summary>
public static class DirectoryKey
{
    /// <summary>The key of <paramref name="chargePointId"/>.</summary>
    public static string Encode(string chargePointId)
    {
        ArgumentException.ThrowIfNullOrEmpty(chargePointId);
        bool plain = true;
        foreach (char c in chargePointId)
        {
            plain &= char.IsAsciiLetterOrDigit(c) || c == '-';
        }

        if (plain)
        {
            return chargePointId;
        }

        var key = new StringBuilder(chargePointId.Length * 3);
        foreach (byte b in Encoding.UTF8.GetBytes(chargePointId))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c == '-')
            {
                key.Append(c);
            }
            else
            {
                key.Append('_').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return key.ToString();
    }

    /// <summary>The charge point id of <paramref name="key"/>; null when it is not a key <see cref="Encode"/> makes.</summary>
    public static string? Decode(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains('_', StringComparison.Ordinal))
        {
            return key;
        }

        var bytes = new List<byte>(key.Length);
        for (int i = 0; i < key.Length; i++)
        {
            if (key[i] != '_')
            {
                bytes.Add((byte)key[i]);
                continue;
            }

            if (i + 2 >= key.Length || !byte.TryParse(key.AsSpan(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out byte b))
            {
                return null;
            }

            bytes.Add(b);
            i += 2;
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
