using Xunit;

namespace Kinesis.Clients.Testing;

/// <summary>
/// xunit class fixture handing a test class the process-wide <see cref="LocalAws"/>:
/// <c>public sealed class MyTests(LocalAwsFixture fixture) : IClassFixture&lt;LocalAwsFixture&gt;</c>.
/// Disposing it leaves the shared engines running for the other classes.
/// </summary>
public sealed class LocalAwsFixture : IAsyncLifetime
{
    // Cold start of both engines is a few seconds; the launcher's own limit is 60 s per engine.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private LocalAws? _aws;

    /// <summary>The shared endpoints; available once xunit has initialised the fixture.</summary>
    public LocalAws Aws => _aws ?? throw new InvalidOperationException("The fixture has not been initialised by xunit yet.");

    /// <inheritdoc />
    public async Task InitializeAsync() => _aws = await LocalAws.GetAsync().WaitAsync(StartTimeout).ConfigureAwait(false);

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;
}
