using System.Buffers.Binary;
using System.Text;

namespace EvCloud.Fast.Cluster.Ownership;

/// <summary>
/// A directory entry: which gateway owns a charger, and since which epoch. Every takeover raises the epoch by one
/// (compare-and-set on the key's revision), so of two owners the one with the higher epoch is the current one.
/// </summary>
/// <param name="NodeId">The owning gateway.</param>
/// <param name="Epoch">1 for the first owner, then +1 per takeover.</param>
public readonly record struct ChargerOwner(string NodeId, long Epoch)
{
    /// <summary>Value bytes: the epoch (8 bytes, big-endian) then the node id (UTF-8).</summary>
    public byte[] Encode()
    {
        byte[] value = new byte[8 + Encoding.UTF8.GetByteCount(NodeId)];
        BinaryPrimitives.WriteInt64BigEndian(value, Epoch);
        Encoding.UTF8.GetBytes(NodeId, value.AsSpan(8));
        return value;
    }

    /// <summary>Reads a value written by <see cref="Encode"/>; false for anything else (a value some other tool wrote).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> value, out ChargerOwner owner)
    {
        owner = default;
        if (value.Length < 9)
        {
            return false;
        }

        long epoch = BinaryPrimitives.ReadInt64BigEndian(value);
        if (epoch < 1)
        {
            return false;
        }

        owner = new ChargerOwner(Encoding.UTF8.GetString(value[8..]), epoch);
        return true;
    }
}

/// <summary>The outcome of a claim.</summary>
/// <param name="Owned">Whether this gateway now owns the charger.</param>
/// <param name="Owner">The owner after the claim (this gateway when <paramref name="Owned"/>).</param>
/// <param name="Revision">The KV revision of the owner's entry.</param>
public readonly record struct ClaimResult(bool Owned, ChargerOwner Owner, ulong Revision);
