using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>
/// AWS KMS on 127.0.0.1 (Kestrel, a free port), JSON 1.1 (<c>TrentService.GenerateDataKey</c>, <c>Decrypt</c>,
/// <c>Encrypt</c>), for the real AWSSDK.KeyManagementService client (<see cref="CreateClient"/>). Keys hold real
/// material in memory, so Decrypt opens exactly what this server wrapped and only with the same encryption
/// context; key policies can deny an operation on a key (<c>AccessDeniedException</c>), throttling can be switched
/// on (<c>ThrottlingException</c>), and every answer is counted.
/// </summary>
public sealed class LoopbackKms : IAsyncDisposable
{
    private const string Account = "000000000000";
    private const string Region = "us-east-1";

    private readonly LoopbackHost _host;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, KmsKey> _keys = new(StringComparer.Ordinal);
    private readonly HashSet<(string Arn, KmsOperation Operation)> _denied = [];
    private readonly Dictionary<(KmsOperation, string), int> _counts = [];
    private int _throttleNext;
    private bool _throttleAll;

    private LoopbackKms(LoopbackHost host)
    {
        _host = host;
        Endpoint = host.Endpoint;
    }

    /// <summary>The endpoint, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Starts a server on a free loopback port.</summary>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <returns>The running server.</returns>
    public static async Task<LoopbackKms> StartAsync(CancellationToken cancellationToken = default)
    {
        LoopbackKms? server = null;
        var host = await LoopbackHost.StartAsync(context => server!.HandleAsync(context), cancellationToken: cancellationToken).ConfigureAwait(false);
        server = new LoopbackKms(host);
        return server;
    }

    /// <summary>A client of this server: the SDK's own, with test credentials.</summary>
    /// <param name="maxErrorRetry">The SDK's retries per call; 0 so tests see every error themselves.</param>
    /// <returns>The client (the caller disposes it).</returns>
    public AmazonKeyManagementServiceClient CreateClient(int maxErrorRetry = 0) =>
        new(new BasicAWSCredentials("test", "test"), new AmazonKeyManagementServiceConfig
        {
            ServiceURL = Endpoint.ToString(),
            AuthenticationRegion = Region,
            MaxErrorRetry = maxErrorRetry,
        });

    /// <summary>Creates a symmetric key with fresh material.</summary>
    /// <param name="alias">An alias name (<c>alias/...</c>) to find it by too, or <see langword="null"/>.</param>
    /// <returns>The key.</returns>
    public KmsKey CreateKey(string? alias = null)
    {
        var id = Guid.NewGuid().ToString();
        var key = new KmsKey(id, $"arn:aws:kms:{Region}:{Account}:key/{id}", alias);
        lock (_gate)
        {
            _keys[id] = key;
            _keys[key.Arn] = key;
            if (alias is not null)
            {
                _keys[alias] = key;
                _keys[$"arn:aws:kms:{Region}:{Account}:{alias}"] = key;
            }
        }

        return key;
    }

    /// <summary>Denies <paramref name="operation"/> on <paramref name="key"/> (<c>AccessDeniedException</c>), as a key policy without that permission does.</summary>
    public void Deny(KmsKey key, KmsOperation operation)
    {
        lock (_gate)
        {
            _denied.Add((key.Arn, operation));
        }
    }

    /// <summary>Allows what <see cref="Deny"/> denied.</summary>
    public void Allow(KmsKey key, KmsOperation operation)
    {
        lock (_gate)
        {
            _denied.Remove((key.Arn, operation));
        }
    }

    /// <summary>Answers the next <paramref name="count"/> calls with <c>ThrottlingException</c>.</summary>
    public void ThrottleNext(int count)
    {
        lock (_gate)
        {
            _throttleNext += count;
        }
    }

    /// <summary>Whether every call is answered with <c>ThrottlingException</c> (until set back to <see langword="false"/>).</summary>
    public bool ThrottleAll
    {
        get
        {
            lock (_gate)
            {
                return _throttleAll;
            }
        }

        set
        {
            lock (_gate)
            {
                _throttleAll = value;
            }
        }
    }

    /// <summary>How many calls of <paramref name="operation"/> were answered with <paramref name="outcome"/> (<c>"OK"</c> or an error code).</summary>
    public int Count(KmsOperation operation, string outcome = "OK")
    {
        lock (_gate)
        {
            return _counts.GetValueOrDefault((operation, outcome));
        }
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        KmsOperation? operation = target switch
        {
            "TrentService.GenerateDataKey" => KmsOperation.GenerateDataKey,
            "TrentService.Decrypt" => KmsOperation.Decrypt,
            "TrentService.Encrypt" => KmsOperation.Encrypt,
            _ => null,
        };
        if (operation is not { } op)
        {
            await ErrorAsync(context, null, "UnknownOperationException", $"This server does not serve '{target}'.").ConfigureAwait(false);
            return;
        }

        if (!context.Request.Headers.Authorization.ToString().Contains($"/{Region}/kms/aws4_request", StringComparison.Ordinal))
        {
            await ErrorAsync(context, op, "InvalidSignatureException", "The request is not signed for kms in us-east-1.").ConfigureAwait(false);
            return;
        }

        var body = (await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false))?.AsObject() ?? [];
        var (code, message, reply) = Answer(op, body);
        if (code is not null)
        {
            await ErrorAsync(context, op, code, message!).ConfigureAwait(false);
            return;
        }

        Counted(op, "OK");
        context.Response.ContentType = "application/x-amz-json-1.1";
        await context.Response.WriteAsync(reply!.ToJsonString()).ConfigureAwait(false);
    }

    private (string? Code, string? Message, JsonObject? Reply) Answer(KmsOperation operation, JsonObject body)
    {
        lock (_gate)
        {
            if (_throttleAll || _throttleNext > 0)
            {
                _throttleNext = Math.Max(0, _throttleNext - 1);
                return ("ThrottlingException", "Rate exceeded", null);
            }
        }

        var context = ReadContext(body["EncryptionContext"]);
        var keyId = body["KeyId"]?.GetValue<string>();
        KmsKey? key = null;
        byte[]? blob = null;
        if (operation == KmsOperation.Decrypt)
        {
            blob = Convert.FromBase64String(body["CiphertextBlob"]?.GetValue<string>() ?? "");
            var arn = KmsCiphertext.ArnOf(blob);
            if (arn is null || !TryFind(arn, out key))
            {
                return ("InvalidCiphertextException", "The ciphertext is not one this KMS made.", null);
            }

            if (keyId is not null && (!TryFind(keyId, out var named) || named.Arn != key.Arn))
            {
                return ("IncorrectKeyException", $"The ciphertext was not encrypted under {keyId}.", null);
            }
        }
        else if (keyId is null || !TryFind(keyId, out key))
        {
            return ("NotFoundException", $"Key '{keyId}' does not exist.", null);
        }

        lock (_gate)
        {
            if (_denied.Contains((key.Arn, operation)))
            {
                return ("AccessDeniedException", $"User: arn:aws:iam::{Account}:user/test is not authorized to perform: kms:{operation} on resource: {key.Arn} because no resource-based policy allows the kms:{operation} action", null);
            }
        }

        switch (operation)
        {
            case KmsOperation.GenerateDataKey:
                {
                    var bytes = body["NumberOfBytes"]?.GetValue<int>() ?? (body["KeySpec"]?.GetValue<string>() == "AES_128" ? 16 : 32);
                    var plaintext = System.Security.Cryptography.RandomNumberGenerator.GetBytes(bytes);
                    return (null, null, new JsonObject
                    {
                        ["CiphertextBlob"] = Convert.ToBase64String(KmsCiphertext.Seal(key, plaintext, context)),
                        ["Plaintext"] = Convert.ToBase64String(plaintext),
                        ["KeyId"] = key.Arn,
                    });
                }

            case KmsOperation.Encrypt:
                {
                    var plaintext = Convert.FromBase64String(body["Plaintext"]?.GetValue<string>() ?? "");
                    return (null, null, new JsonObject
                    {
                        ["CiphertextBlob"] = Convert.ToBase64String(KmsCiphertext.Seal(key, plaintext, context)),
                        ["KeyId"] = key.Arn,
                        ["EncryptionAlgorithm"] = "SYMMETRIC_DEFAULT",
                    });
                }

            default:
                {
                    var plaintext = KmsCiphertext.TryOpen(key, blob!, context);
                    return plaintext is null
                        ? ("InvalidCiphertextException", "The ciphertext or its encryption context is not what was encrypted.", null)
                        : (null, null, new JsonObject
                        {
                            ["Plaintext"] = Convert.ToBase64String(plaintext),
                            ["KeyId"] = key.Arn,
                            ["EncryptionAlgorithm"] = "SYMMETRIC_DEFAULT",
                        });
                }
        }
    }

    private bool TryFind(string keyId, out KmsKey key)
    {
        lock (_gate)
        {
            return _keys.TryGetValue(keyId, out key!);
        }
    }

    private static Dictionary<string, string> ReadContext(JsonNode? node)
    {
        var context = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject pairs)
        {
            foreach (var (name, value) in pairs)
            {
                context[name] = value?.GetValue<string>() ?? "";
            }
        }

        return context;
    }

    private void Counted(KmsOperation operation, string outcome)
    {
        lock (_gate)
        {
            _counts[(operation, outcome)] = _counts.GetValueOrDefault((operation, outcome)) + 1;
        }
    }

    private async Task ErrorAsync(HttpContext context, KmsOperation? operation, string code, string message)
    {
        if (operation is { } op)
        {
            Counted(op, code);
        }

        context.Response.StatusCode = 400;
        context.Response.ContentType = "application/x-amz-json-1.1";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = code, ["message"] = message })).ConfigureAwait(false);
    }
}
