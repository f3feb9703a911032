namespace Kinesis.Clients.Tests.EventStream;

/// <summary>
/// Published event-stream test vectors: the encoded messages of the AWS SDK test suites (aws-sdk-js-v3 /
/// smithy-typescript <c>eventstream-codec/src/TestVectors.fixture.ts</c>, the same cases as aws-c-event-stream's
/// <c>tests/message_deserializer_test.c</c> and aws-sdk-go's <c>private/protocol/eventstream/testdata</c>).
/// </summary>
internal static class EventStreamVectors
{
    /// <summary>Ten headers, one of each type, and the payload <c>{'foo':'bar'}</c>.</summary>
    public const string AllHeaders =
        "000000cc000000af0fae64ca0a6576656e742d74797065040000a00c0c636f6e74656e742d747970650700106170706c69636174696f6e2f" +
        "6a736f6e0a626f6f6c2066616c73650109626f6f6c207472756500046279746502cf08627974652062756606001449276d2061206c6974746c" +
        "6520746561706f74210974696d657374616d70080000000000845fed05696e74313603002a05696e7436340500000000028757b20475756964" +
        "090102030405060708090a0b0c0d0e0f107b27666f6f273a27626172277daba5f10c";

    /// <summary>No headers, no payload: the 16-byte minimum.</summary>
    public const string EmptyMessage = "000000100000000005c248eb7d98c8ff";

    /// <summary>One int32 header <c>event-type</c> = 40972 and the payload <c>{'foo':'bar'}</c>.</summary>
    public const string Int32Header = "0000002d0000001041c424b80a6576656e742d74797065040000a00c7b27666f6f273a27626172277d36f480a0";

    /// <summary>The payload <c>{'foo':'bar'}</c> alone.</summary>
    public const string PayloadNoHeaders = "0000001d00000000fd528c5a7b27666f6f273a27626172277dc3653936";

    /// <summary>One string header <c>content-type</c> = <c>application/json</c> and the payload <c>{'foo':'bar'}</c>.</summary>
    public const string PayloadOneStringHeader =
        "0000003d0000002007fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b27666f6f273a27626172277d8d9c08b1";

    /// <summary>The negative vectors: each must be rejected.</summary>
    public static TheoryData<string, string> Corrupted => new()
    {
        // A header name byte changed ('-' to '+'): the message CRC no longer matches.
        { "corrupted_headers", "0000003d0000002007fd83960c636f6e74656e742b747970650700106170706c69636174696f6e2f6a736f6e7b27666f6f273a27626172277d8d9c08b1" },
        // Headers length 0x120 instead of 0x20: the prelude CRC no longer matches.
        { "corrupted_header_len", "0000003d0000012007fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b27666f6f273a27626172277d8d9c08b1" },
        // Total length 0x0100001d: the prelude CRC no longer matches.
        { "corrupted_length", "0100001d00000000fd528c5a7b27666f6f273a27626172277dc3653936" },
        // A payload byte changed ('}' to 0x8d): the message CRC no longer matches.
        { "corrupted_payload", "0000001d00000000fd528c5a7b27666f6f273a27626172278dc3653936" },
    };

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex);
}
