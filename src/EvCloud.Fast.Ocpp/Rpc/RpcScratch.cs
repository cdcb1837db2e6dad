namespace EvCloud.Fast.Ocpp.Rpc;

/// <summary>
/// Per-thread scratch for the parts of an OCPP-J envelope that must be unescaped or joined across segments
/// (message id, action, error description). Heap arrays rather than stackalloc so the parsed header can
/// travel with the JSON reader through the dispatcher; per thread because parsing never awaits.
/// </summary>
internal sealed class RpcScratch
{
    [ThreadStatic]
    private static RpcScratch? t_current;

    public readonly byte[] MessageId = new byte[OcppJFrameReader.MaxMessageIdBytes];
    public readonly byte[] Action = new byte[OcppJFrameReader.MaxActionBytes];
    public readonly byte[] Description = new byte[256];

    public static RpcScratch Current => t_current ??= new RpcScratch();
}
