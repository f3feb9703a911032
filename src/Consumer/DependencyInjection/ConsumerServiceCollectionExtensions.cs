using Kinesis.Clients.Consumer;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Runs a <see cref="KinesisConsumer"/> as a hosted service of the Generic Host.</summary>
public static class ConsumerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a hosted service that runs a consumer with one <typeparamref name="TProcessor"/> per shard lease,
    /// created through the container (constructor injection works). The host's shutdown is the consumer's
    /// graceful shutdown: processors checkpoint, then leases are released.
    /// </summary>
    public static IServiceCollection AddKinesisConsumer<TProcessor>(this IServiceCollection services, Action<KinesisConsumerOptions> configure)
        where TProcessor : class, IRecordProcessor
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddKinesisConsumer<TProcessor>((_, options) => configure(options));
    }

    /// <summary>
    /// As <see cref="AddKinesisConsumer{TProcessor}(IServiceCollection, Action{KinesisConsumerOptions})"/>, with the
    /// container at hand, e.g. to hand the consumer the application's own clients:
    /// <c>(provider, options) =&gt; options.DynamoDbClient = provider.GetRequiredService&lt;IAmazonDynamoDB&gt;()</c>.
    /// </summary>
    public static IServiceCollection AddKinesisConsumer<TProcessor>(this IServiceCollection services, Action<IServiceProvider, KinesisConsumerOptions> configure)
        where TProcessor : class, IRecordProcessor
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddHostedService(provider =>
        {
            var options = new KinesisConsumerOptions();
            configure(provider, options);
            return new KinesisConsumerService(new KinesisConsumer(options, new ContainerProcessorFactory<TProcessor>(provider)));
        });
        return services;
    }

    private sealed class ContainerProcessorFactory<TProcessor> : IRecordProcessorFactory
        where TProcessor : class, IRecordProcessor
    {
        private readonly IServiceProvider _provider;

        public ContainerProcessorFactory(IServiceProvider provider) => _provider = provider;

        public IRecordProcessor CreateProcessor(string shardId) => ActivatorUtilities.CreateInstance<TProcessor>(_provider);
    }

    private sealed class KinesisConsumerService : BackgroundService
    {
        private readonly KinesisConsumer _consumer;

        public KinesisConsumerService(KinesisConsumer consumer) => _consumer = consumer;

        protected override Task ExecuteAsync(CancellationToken stoppingToken) => _consumer.RunAsync(stoppingToken);
    }
}
