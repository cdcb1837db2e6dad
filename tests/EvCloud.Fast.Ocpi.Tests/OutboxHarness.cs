using EvCloud.Fast.Ocpi.Client;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Ocpi.Push;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvCloud.Fast.Ocpi.Tests;

/// <summary>
/// A started push outbox over temporary storage, with one registered 2.2.1 eMSP (<c>emsp</c>, party NL/MSP) whose
/// receiver for one module answers through the given handler.
/// </summary>
internal sealed class OutboxHarness : IAsyncDisposable
{
    private readonly string _directory;
    private readonly StorageEngine _storage;

    private OutboxHarness(string directory, StorageEngine storage, PushOutbox outbox)
    {
        _directory = directory;
        _storage = storage;
        Outbox = outbox;
    }

    public PushOutbox Outbox { get; }

    public static async Task<OutboxHarness> StartAsync(HttpMessageHandler partner, string module, PushOptions? push = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), "evcloud-outbox-" + Guid.NewGuid().ToString("N"));
        StorageEngine storage = StorageEngine.Open(SmallStorage.Options(directory));
        var options = new OcpiOptions { CountryCode = "NL", PartyId = "CPO" };
        if (push is not null)
        {
            options.Push = push;
        }

        var partners = new PartnerRegistry(storage, options);
        await partners.SaveAsync(new OcpiPartner
        {
            Id = "emsp",
            Version = OcpiVersionNumber.V221,
            Registered = true,
            OutgoingToken = "token-c",
            Roles = [new PartnerRole { Role = "EMSP", CountryCode = "NL", PartyId = "MSP" }],
            Endpoints = [new PartnerEndpoint { Identifier = module, Role = "RECEIVER", Url = "http://partner.invalid/" + module }],
        });
        var client = new OcpiClient(new HandlerFactory(partner), options, NullLogger<OcpiClient>.Instance);
        var outbox = new PushOutbox(storage, partners, client, options, TimeProvider.System, NullLogger<PushOutbox>.Instance);
        await outbox.StartAsync(CancellationToken.None);
        return new OutboxHarness(directory, storage, outbox);
    }

    public async ValueTask DisposeAsync()
    {
        await Outbox.StopAsync(CancellationToken.None);
        Outbox.Dispose();
        await _storage.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class HandlerFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }
}
