namespace EvCloud.Fast.Storage.State;

public enum TransactionStatus : byte
{
    Open = 1,
    Ended = 2,
}
