namespace Kinesis.Clients.Agent.Configuration;

/// <summary><c>ADDBRACKETS</c>: wraps the record, line break included, in <c>{</c> and <c>}</c>.</summary>
internal sealed class AddBracketsOption : DataProcessingOption
{
    /// <inheritdoc/>
    public override string OptionName => "ADDBRACKETS";
}
