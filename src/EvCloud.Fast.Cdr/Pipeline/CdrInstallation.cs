using System.Security.Cryptography;

namespace EvCloud.Fast.Cdr.Pipeline;

/// <summary>
/// The installation id in CDR ids: random, created on the first start of a data directory and kept in
/// <c>&lt;DataDirectory&gt;/installation-id</c>. Transaction ids restart at 1 after a factory reset (deleting the data
/// directory) and are the same numbers in a second installation of the same OCPI party; with this id in it, a CDR id
/// is never one a roaming partner already holds from another data directory.
/// </summary>
/// <remarks>
/// 8 characters of Crockford base32 (40 random bits: two installations collide with odds of about 1 in 10^12; the
/// alphabet has no I, L, O or U, so it survives OCPI's case-insensitive CiString comparison and being read aloud).
/// A data directory that already holds CDRs from before this id existed keeps its ids (<c>CDR-&lt;transactionId&gt;</c>):
/// its file is written empty, so replaying its log finds the same ids and writes no second CDR.
/// </remarks>
public static class CdrInstallation
{
    /// <summary>The file name under the data directory.</summary>
    public const string FileName = "installation-id";

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>
    /// The data directory's installation id, created on first use: random, or empty when <paramref name="hasLegacyCdrs"/>
    /// (CDRs were written with the old ids, which must stay stable).
    /// </summary>
    public static string LoadOrCreate(string dataDirectory, bool hasLegacyCdrs)
    {
        string path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        string id = hasLegacyCdrs ? "" : RandomNumberGenerator.GetString(Alphabet, 8);
        Directory.CreateDirectory(dataDirectory);
        string temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using var writer = new StreamWriter(file);
            writer.Write(id);
            writer.Flush();
            file.Flush(flushToDisk: true);
        }

        // NOTE: written whole, then renamed: a crash leaves either no file (the next start creates one, no CDR was
        // written with an id yet) or the complete id, never half of one.
        File.Move(temporary, path, overwrite: true);
        return id;
    }
}
