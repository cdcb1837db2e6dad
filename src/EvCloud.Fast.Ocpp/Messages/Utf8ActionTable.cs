namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>
/// Open-addressing hash table from an action's UTF-8 name to its <see cref="OcppAction"/>, looked up with a span so
/// a frame's action bytes are matched without decoding them (frozen dictionaries offer no byte-span lookup).
/// </summary>
/// <remarks>Sized to at most 25% load: the 91 actions of 2.1 sit in 512 slots, so a probe rarely passes one slot.</remarks>
internal sealed class Utf8ActionTable
{
    private readonly OcppAction?[] _slots;
    private readonly int _mask;

    public Utf8ActionTable(IReadOnlyCollection<OcppAction> actions)
    {
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, actions.Count * 4));
        _slots = new OcppAction?[size];
        _mask = size - 1;
        foreach (OcppAction action in actions)
        {
            int slot = Hash(action.Utf8Name) & _mask;
            while (_slots[slot] is { } occupant)
            {
                if (occupant.Utf8Name.AsSpan().SequenceEqual(action.Utf8Name))
                {
                    throw new ArgumentException($"Duplicate action '{action.Name}'.", nameof(actions));
                }

                slot = (slot + 1) & _mask;
            }

            _slots[slot] = action;
        }
    }

    public bool TryGet(ReadOnlySpan<byte> name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OcppAction? action)
    {
        int slot = Hash(name) & _mask;
        while (_slots[slot] is { } candidate)
        {
            if (candidate.Utf8Name.AsSpan().SequenceEqual(name))
            {
                action = candidate;
                return true;
            }

            slot = (slot + 1) & _mask;
        }

        action = null;
        return false;
    }

    // FNV-1a: action names are short ASCII, so a byte loop beats setting up a vectorised hash.
    private static int Hash(ReadOnlySpan<byte> name)
    {
        uint hash = 2166136261;
        foreach (byte b in name)
        {
            hash = (hash ^ b) * 16777619;
        }

        return (int)(hash ^ (hash >> 15));
    }
}
