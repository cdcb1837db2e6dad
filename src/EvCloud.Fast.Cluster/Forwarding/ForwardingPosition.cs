using System.Globalization;
using System.Text;

namespace EvCloud.Fast.Cluster.Forwarding;

/// <summary>
/// The forwarder's durable position: the address of the last log entry JetStream acknowledged, in one small file
/// replaced atomically (write a temporary file, flush it to disk, rename over the old one), so a crash leaves either
/// the old or the new position, never a torn one. It is kept outside the event log on purpose: a position written to
/// the log would itself be an entry to forward.
/// </summary>
public sealed class ForwardingPosition
{
    private readonly string _path;

    /// <summary>Opens the position under <paramref name="dataDirectory"/><c>/cluster</c>; -1 when nothing was forwarded yet.</summary>
    public ForwardingPosition(string dataDirectory)
    {
        string directory = Path.Combine(dataDirectory, "cluster");
        System.IO.Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, "forwarded.position");
        Address = File.Exists(_path)
            ? long.Parse(File.ReadAllText(_path, Encoding.ASCII).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture)
            : -1;
    }

    /// <summary>The last acknowledged entry's log address (-1: none).</summary>
    public long Address { get; private set; }

    /// <summary>Durably records <paramref name="address"/> as acknowledged.</summary>
    public void Save(long address)
    {
        string temporary = _path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64, FileOptions.None))
        {
            file.Write(Encoding.ASCII.GetBytes(address.ToString(CultureInfo.InvariantCulture) + "\n"));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
        Address = address;
    }
}
