using Kinesis.Clients.Records;

namespace Kinesis.Clients.Tests.Records;

public sealed class RecordValidationTests
{
    private const string Emoji = "\U0001F600";

    [Theory]
    [InlineData("k")]
    [InlineData("partition-key-1")]
    [InlineData("ключ")]
    public void ValidatePartitionKey_accepts_ordinary_keys(string partitionKey)
    {
        RecordValidation.ValidatePartitionKey(partitionKey);
    }

    [Fact]
    public void ValidatePartitionKey_accepts_256_characters()
    {
        var partitionKey = new string('k', 256);

        RecordValidation.ValidatePartitionKey(partitionKey);
    }

    [Fact]
    public void ValidatePartitionKey_rejects_300_characters_naming_the_argument_and_the_limit()
    {
        var partitionKey = new string('k', 300);

        var error = Assert.Throws<ArgumentException>(() => RecordValidation.ValidatePartitionKey(partitionKey));

        Assert.Equal("Partition key must be 1 to 256 Unicode characters; got 300. (Parameter 'partitionKey')", error.Message);
        Assert.Equal("partitionKey", error.ParamName);
    }

    [Fact]
    public void ValidatePartitionKey_rejects_an_empty_key()
    {
        var error = Assert.Throws<ArgumentException>(() => RecordValidation.ValidatePartitionKey("", "key"));

        Assert.Equal("Partition key must be 1 to 256 Unicode characters; got 0. (Parameter 'key')", error.Message);
    }

    [Fact]
    public void ValidatePartitionKey_rejects_null()
    {
        var error = Assert.Throws<ArgumentNullException>(() => RecordValidation.ValidatePartitionKey(null!, "key"));

        Assert.Equal("key", error.ParamName);
    }

    [Fact]
    public void ValidatePartitionKey_counts_a_surrogate_pair_as_one_character()
    {
        var partitionKey = string.Concat(Enumerable.Repeat(Emoji, 256));
        Assert.Equal(512, partitionKey.Length);

        RecordValidation.ValidatePartitionKey(partitionKey);

        var tooLong = partitionKey + Emoji;
        var error = Assert.Throws<ArgumentException>(() => RecordValidation.ValidatePartitionKey(tooLong));
        Assert.Contains("got 257", error.Message, StringComparison.Ordinal);
    }

    // Attribute strings cannot hold unpaired surrogates, so each case is built from its parts.
    [Theory]
    [InlineData("a", 0xD800, "b")]
    [InlineData("", 0xDC00, "")]
    [InlineData("ab", 0xD83D, "")]
    [InlineData("x", 0xDE00, "\uD83D")] // low before high is no pair
    public void ValidatePartitionKey_rejects_an_unpaired_surrogate(string before, int surrogate, string after)
    {
        var partitionKey = before + (char)surrogate + after;
        var index = before.Length;

        var error = Assert.Throws<ArgumentException>(() => RecordValidation.ValidatePartitionKey(partitionKey));

        Assert.Equal(
            $"Partition key must be well-formed Unicode; it has an unpaired surrogate at index {index}. (Parameter 'partitionKey')",
            error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("340282366920938463463374607431768211455")]
    public void ValidateExplicitHashKey_accepts_absent_or_in_range_values(string? explicitHashKey)
    {
        RecordValidation.ValidateExplicitHashKey(explicitHashKey);
    }

    [Theory]
    [InlineData("340282366920938463463374607431768211456")]
    [InlineData("-1")]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("+1")]
    [InlineData("1a")]
    [InlineData("007")]
    public void ValidateExplicitHashKey_rejects_values_outside_the_APIs_grammar(string explicitHashKey)
    {
        var error = Assert.Throws<ArgumentException>(() => RecordValidation.ValidateExplicitHashKey(explicitHashKey));

        Assert.Equal("explicitHashKey", error.ParamName);
        Assert.StartsWith(
            "Explicit hash key must be a decimal integer from 0 to 340282366920938463463374607431768211455 without sign, spaces or leading zeros; got '",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateData_accepts_data_plus_key_of_exactly_one_MiB()
    {
        var data = new byte[(1024 * 1024) - 3];

        RecordValidation.ValidateData(data, "abc");
    }

    [Fact]
    public void ValidateData_counts_the_partition_key_against_the_record_size()
    {
        var data = new byte[(1024 * 1024) - 2];

        var error = Assert.Throws<ArgumentException>(() => RecordValidation.ValidateData(data, "abc"));

        Assert.Equal(
            "Record data plus partition key must be at most 1048576 bytes; got 1048577 (1048574 bytes of data + 3 bytes of partition key). (Parameter 'data')",
            error.Message);
    }

    [Fact]
    public void ValidateRecordSize_counts_the_partition_key_in_UTF8_bytes()
    {
        var error = Assert.Throws<ArgumentException>(() => RecordValidation.ValidateRecordSize("é", (1024 * 1024) - 1));

        Assert.Contains("+ 2 bytes of partition key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateRecordSize_honours_a_larger_configured_limit()
    {
        RecordValidation.ValidateRecordSize("k", 5 * 1024 * 1024, maxRecordSizeBytes: 10 * 1024 * 1024);

        var error = Assert.Throws<ArgumentException>(
            () => RecordValidation.ValidateRecordSize("k", 10 * 1024 * 1024, maxRecordSizeBytes: 10 * 1024 * 1024));
        Assert.Contains("at most 10485760 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData((10 * 1024 * 1024) + 1)]
    public void ValidateRecordSize_rejects_a_limit_outside_what_a_stream_can_have(int maxRecordSizeBytes)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => RecordValidation.ValidateRecordSize("k", 1, maxRecordSizeBytes));

        Assert.Equal("maxRecordSizeBytes", error.ParamName);
    }

    [Fact]
    public void ValidateRecordSize_rejects_a_negative_length()
    {
        var length = -1;

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RecordValidation.ValidateRecordSize("k", length));

        Assert.Equal("length", error.ParamName);
    }

    [Theory]
    [InlineData("s")]
    [InlineData("my_stream.v-1")]
    [InlineData("ABCxyz0123456789")]
    public void ValidateStreamName_accepts_names_of_the_allowed_characters(string streamName)
    {
        RecordValidation.ValidateStreamName(streamName);
    }

    [Fact]
    public void ValidateStreamName_accepts_128_characters_and_rejects_129()
    {
        RecordValidation.ValidateStreamName(new string('s', 128));

        var streamName = new string('s', 129);
        var error = Assert.Throws<ArgumentException>(() => RecordValidation.ValidateStreamName(streamName));
        Assert.Equal("Stream name must be 1 to 128 characters; got 129. (Parameter 'streamName')", error.Message);
    }

    [Fact]
    public void ValidateStreamName_rejects_an_empty_name()
    {
        var error = Assert.Throws<ArgumentException>(() => RecordValidation.ValidateStreamName("", "name"));

        Assert.Equal("Stream name must be 1 to 128 characters; got 0. (Parameter 'name')", error.Message);
    }

    [Theory]
    [InlineData("my stream", 2)]
    [InlineData("stream/1", 6)]
    [InlineData("strëam", 3)]
    public void ValidateStreamName_rejects_other_characters_naming_the_first(string streamName, int index)
    {
        var error = Assert.Throws<ArgumentException>(() => RecordValidation.ValidateStreamName(streamName));

        Assert.Equal("streamName", error.ParamName);
        Assert.Contains("only a-z, A-Z, 0-9, '_', '.' and '-'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"at index {index}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:kinesis:us-east-1:123456789012:stream/my-stream")]
    [InlineData("arn:aws-cn:kinesis:cn-north-1:123456789012:stream/s")]
    [InlineData("arn:aws-us-gov:kinesis:us-gov-west-1:123456789012:stream/s.1")]
    public void ValidateStreamArn_accepts_Kinesis_stream_ARNs(string streamArn)
    {
        RecordValidation.ValidateStreamArn(streamArn);
    }

    [Theory]
    [InlineData("arn:aws:sqs:us-east-1:123456789012:queue")]
    [InlineData("arn:aws:kinesis:us-east-1:1234:stream/s")]
    [InlineData("arn:aws:kinesis:us-east-1:123456789012:stream/")]
    [InlineData("arn:aws:kinesis:us-east-1:123456789012:stream/s\n")]
    [InlineData("my-stream")]
    public void ValidateStreamArn_rejects_anything_else(string streamArn)
    {
        var error = Assert.Throws<ArgumentException>(() => RecordValidation.ValidateStreamArn(streamArn));

        Assert.Equal("streamArn", error.ParamName);
        Assert.Contains("arn:aws:kinesis:<region>:<12-digit account>:stream/<name>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateStreamArn_rejects_more_than_2048_characters()
    {
        var streamArn = "arn:aws:kinesis:us-east-1:123456789012:stream/" + new string('s', 2048);

        var error = Assert.Throws<ArgumentException>(() => RecordValidation.ValidateStreamArn(streamArn));

        Assert.Contains("must be 1 to 2048 characters", error.Message, StringComparison.Ordinal);
    }
}
