using Amazon.KeyManagementService;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Tests.Encryption;

/// <summary>One loopback KMS for a test class, with a key and the SDK's client.</summary>
public sealed class KmsFixture : IAsyncLifetime
{
    public LoopbackKms Kms { get; private set; } = null!;

    public AmazonKeyManagementServiceClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Kms = await LoopbackKms.StartAsync();
        Client = Kms.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Kms.DisposeAsync();
    }
}
