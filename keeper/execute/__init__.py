"""The execution stage: a trade command becomes the executor's transaction.

`command` (pure) turns a TradeCommand into calldata, `access_list` (pure) decides which of the
accounts and slots a simulation touched are worth listing (EIP-2930), and `prepare` (I/O)
simulates the call on the node and returns the transaction, ready to sign. Signing, submission
(bundle relays or a plain transaction) and confirmation come with the risk stage.
"""
