using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace EvCloud.Fast.Ocpi.Client;

/// <summary>
/// Keeps our requests to partners off the operator's own network: a partner chooses the URLs we call (its versions and
/// endpoints, a command's <c>response_url</c>), so without this a partner could make us call loopback admin ports,
/// cloud metadata (169.254.169.254) or private hosts. Loopback, link-local, private (RFC 1918, fc00::/7), shared
/// (100.64.0.0/10), unspecified and multicast addresses are refused unless <see cref="OcpiOptions.AllowPrivateAddresses"/>.
/// </summary>
/// <remarks>
/// The check that matters runs at connect time (<see cref="ConnectAsync"/>, the handler's
/// <see cref="SocketsHttpHandler.ConnectCallback"/>) on the addresses DNS returned, and the socket connects to exactly
/// those: a name that resolves to a private address — or changes its answer after a first check — cannot get through.
/// <see cref="RefuseUrl"/> is the early check on the URL text, so a partner hears why at once.
/// </remarks>
public static class PartnerAddressGuard
{
    /// <summary>Whether <paramref name="address"/> is one a partner may make us call.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return !(b[0] == 0 // 0.0.0.0/8 "this network"
                || b[0] == 10 // RFC 1918
                || (b[0] == 100 && (b[1] & 0xC0) == 64) // 100.64.0.0/10 shared address space
                || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata
                || (b[0] == 172 && (b[1] & 0xF0) == 16) // RFC 1918
                || (b[0] == 192 && b[1] == 168) // RFC 1918
                || b[0] >= 224); // multicast and reserved
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Span<byte> b = stackalloc byte[16];
            address.TryWriteBytes(b, out _);
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC); // fc00::/7 unique local
        }

        return false;
    }

    /// <summary>
    /// Why <paramref name="url"/> may not be called, or null: an absolute http(s) URL whose host, when it is an address
    /// literal or <c>localhost</c>, is public (names are checked again when resolved, at connect time).
    /// </summary>
    public static string? RefuseUrl(string? url, bool allowPrivate)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "must be an absolute http(s) URL.";
        }

        if (allowPrivate)
        {
            return null;
        }

        bool local = uri.IsLoopback || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.IdnHost, out IPAddress? literal) && !IsPublic(literal));
        return local ? "points at a loopback, link-local or private address, which this platform does not call (Ocpi:AllowPrivateAddresses)." : null;
    }

    /// <summary>The connect callback of the partners' handler: resolve, keep the permitted addresses, connect to them.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(bool allowPrivate) =>
        (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivate, cancellationToken);

    /// <summary>Connects to <paramref name="endPoint"/> through its permitted addresses only.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        IPAddress[] resolved = IPAddress.TryParse(endPoint.Host, out IPAddress? literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken).ConfigureAwait(false);
        IPAddress[] permitted = allowPrivate ? resolved : Array.FindAll(resolved, IsPublic);
        if (permitted.Length == 0)
        {
            throw new HttpRequestException(
                $"{endPoint.Host} resolves only to loopback, link-local or private addresses, which this platform does not call (Ocpi:AllowPrivateAddresses).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(permitted, endPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
