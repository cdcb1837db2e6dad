using System.Runtime.CompilerServices;

namespace EvCloud.Fast.Storage.State;

// Fixed-size inline UTF-8 storage for blittable FASTER records: no references, so records are
// copied by FASTER's blittable allocator and checkpointed byte for byte. Each size matches an
// OCPP field limit named where it is used.

[InlineArray(20)]
internal struct Utf8Buffer20
{
    private byte _element;
}

[InlineArray(25)]
internal struct Utf8Buffer25
{
    private byte _element;
}

[InlineArray(32)]
internal struct Utf8Buffer32
{
    private byte _element;
}

[InlineArray(36)]
internal struct Utf8Buffer36
{
    private byte _element;
}

[InlineArray(48)]
internal struct Utf8Buffer48
{
    private byte _element;
}

[InlineArray(50)]
internal struct Utf8Buffer50
{
    private byte _element;
}

[InlineArray(64)]
internal struct Utf8Buffer64
{
    private byte _element;
}
