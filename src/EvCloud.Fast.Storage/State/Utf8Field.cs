using System.Text;

namespace EvCloud.Fast.Storage.State;

/// <summary>Copies UTF-8 text into fixed record buffers, truncating on a character boundary.</summary>
internal static class Utf8Field
{
    /// <summary>
    /// Copies as much of <paramref name="value"/> as fits in <paramref name="destination"/> without
    /// splitting a multi-byte character, and returns the stored length.
    /// </summary>
    public static byte Store(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        var length = value.Length;
        if (length > destination.Length)
        {
            length = destination.Length;

            // NOTE: 10xxxxxx is a continuation byte; if the first byte left out is one, the last
            // character kept is incomplete, so back up to its lead byte and drop it too.
            while (length > 0 && (value[length] & 0xC0) == 0x80)
            {
                length--;
            }
        }

        value[..length].CopyTo(destination);
        return (byte)length;
    }

    public static string? ToStringOrNull(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? null : Encoding.UTF8.GetString(utf8);
}
