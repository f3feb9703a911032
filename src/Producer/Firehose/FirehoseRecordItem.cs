namespace Kinesis.Clients.Producer.Firehose;

/// <summary>
/// One Firehose record on its way: a single user record, or several joined (AggregatedRecordSizeBytes). Its user
/// records succeed or fail together, with its attempts.
/// </summary>
internal sealed class FirehoseRecordItem
{
    public FirehoseRecordItem(List<FirehoseUserRecord> users, ReadOnlyMemory<byte> data, long waitingSince)
    {
        Users = users;
        Data = data;
        WaitingSince = waitingSince;
    }

    public List<FirehoseUserRecord> Users { get; }

    public ReadOnlyMemory<byte> Data { get; }

    public List<Attempt> Attempts { get; } = [];

    /// <summary>Since when it waits for its next attempt: its oldest record's acceptance, then each failed attempt's end.</summary>
    public long WaitingSince { get; set; }

    public bool IsJoined => Users.Count > 1;

    public long UserDataBytes
    {
        get
        {
            long total = 0;
            foreach (var user in Users)
            {
                total += user.Data.Length;
            }

            return total;
        }
    }
}
