namespace Kinesis.Clients.Agent.Configuration;

/// <summary>
/// One entry of a flow's <c>dataProcessingOptions</c>, chosen by <c>optionName</c>. The options of a flow run in
/// the order they are listed; see <c>Processing/README.md</c> for the exact output of each.
/// </summary>
internal abstract class DataProcessingOption
{
    private protected DataProcessingOption()
    {
    }

    /// <summary>The option's <c>optionName</c> as written in the configuration (<c>CSVTOJSON</c>, ...).</summary>
    public abstract string OptionName { get; }
}
