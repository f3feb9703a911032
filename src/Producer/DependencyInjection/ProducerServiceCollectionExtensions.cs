using Kinesis.Clients.Producer;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="KinesisProducer"/> with Microsoft.Extensions.DependencyInjection.</summary>
public static class ProducerServiceCollectionExtensions
{
    /// <summary>
    /// Adds one shared <see cref="KinesisProducer"/> (a singleton, disposed with the container, which flushes
    /// it) configured by <paramref name="configure"/>. Options are validated when it is first resolved.
    /// </summary>
    public static IServiceCollection AddKinesisProducer(this IServiceCollection services, Action<KinesisProducerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddSingleton(_ =>
        {
            var options = new KinesisProducerOptions();
            configure(options);
            return new KinesisProducer(options);
        });
        return services;
    }

    /// <summary>As <see cref="AddKinesisProducer(IServiceCollection, Action{KinesisProducerOptions})"/>, with access to other services (e.g. an ILoggerFactory).</summary>
    public static IServiceCollection AddKinesisProducer(this IServiceCollection services, Action<IServiceProvider, KinesisProducerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddSingleton(provider =>
        {
            var options = new KinesisProducerOptions();
            configure(provider, options);
            return new KinesisProducer(options);
        });
        return services;
    }

    /// <summary>
    /// Adds one shared <see cref="KinesisProducer"/> configured by a KPL configuration file (see
    /// <see cref="KinesisProducerOptions.FromKplProperties(string)"/>), then by <paramref name="configure"/> for what
    /// the file cannot say (credentials, logging, callbacks). The file is read when the producer is first resolved.
    /// </summary>
    public static IServiceCollection AddKinesisProducer(
        this IServiceCollection services, string kplPropertiesPath, Action<IServiceProvider, KinesisProducerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(kplPropertiesPath);
        services.AddSingleton(provider =>
        {
            var options = KinesisProducerOptions.FromKplProperties(kplPropertiesPath);
            configure?.Invoke(provider, options);
            return new KinesisProducer(options);
        });
        return services;
    }
}
