namespace Kinesis.Clients.Testing;

/// <summary>The KMS operations <see cref="LoopbackKms"/> serves.</summary>
public enum KmsOperation
{
    /// <summary><c>TrentService.GenerateDataKey</c>.</summary>
    GenerateDataKey,

    /// <summary><c>TrentService.Decrypt</c>.</summary>
    Decrypt,

    /// <summary><c>TrentService.Encrypt</c>.</summary>
    Encrypt,
}
