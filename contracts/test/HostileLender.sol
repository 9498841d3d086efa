// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title An attacker's flash lender: it answers as a Uniswap V3 pool or an Aave pool would,
/// then calls back into the borrower for tokens the borrower holds
/// @dev Test-only. `factory`, `token0`, `token1` and `fee` return whatever it was told, so it
/// can impersonate a real pool's answers; `flash` and `flashLoanSimple` both call the
/// borrower's `uniswapV3SwapCallback` claiming `amount` of `loot` is owed, and bubble its
/// revert. A borrower that pays keeps nothing of `loot`.
interface IERC20Like {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

contract HostileLender {
    address public factory;
    address public token0;
    address public token1;
    uint24 public fee;
    address public loot;
    uint256 public amount;
    uint8 public lie;
    address public initiator;
    uint8 public constant LIE_ASSET = 1;
    uint8 public constant LIE_AMOUNT = 2;
    uint8 public constant LIE_ROUTE = 3;
    uint8 public constant LIE_INITIATOR = 4;

    /// @notice What to claim to be, and what to take
    function configure(address factory_, address token0_, address token1_, uint24 fee_, address loot_, uint256 amount_)
        external
    {
        (factory, token0, token1, fee, loot, amount) = (factory_, token0_, token1_, fee_, loot_, amount_);
    }

    /// @notice Uniswap V3 pool's flash: take instead of lend
    function flash(address recipient, uint256, uint256, bytes calldata) external {
        _take(recipient);
    }

    /// @notice Aave V3 Pool's flashLoanSimple: take instead of lend, unless told a `lie`.
    /// Then it lends the asked-for asset and amount (it must hold them), so that the route
    /// can run, and answers with the right callback, `executeOperation`, telling that lie:
    /// LIE_ASSET names `loot` as the asset and its whole `amount` as the premium, then pulls
    /// `loot` through the approval; LIE_AMOUNT names one more than it lent; LIE_ROUTE hands
    /// back params with their last byte changed; LIE_INITIATOR names `initiator` as the one
    /// that asked for the loan.
    function flashLoanSimple(address receiver, address asset, uint256 lent, bytes calldata params, uint16) external {
        if (lie == 0) return _take(receiver);
        IERC20Like(asset).transfer(receiver, lent);
        bytes memory route = params;
        if (lie == LIE_ROUTE) route[route.length - 1] ^= 0x01;
        (address named, uint256 premium, address asker) = lie == LIE_ASSET
            ? (loot, amount, receiver)
            : (asset, uint256(0), lie == LIE_INITIATOR ? initiator : receiver);
        uint256 told = lie == LIE_AMOUNT ? lent + 1 : lent;
        (bool ok, bytes memory reason) = receiver.call(
            abi.encodeWithSignature(
                "executeOperation(address,uint256,uint256,address,bytes)", named, told, premium, asker, route
            )
        );
        if (!ok) {
            assembly {
                revert(add(reason, 32), mload(reason))
            }
        }
        // the loot is the premium; an honest answer is repaid loan and premium
        IERC20Like(named).transferFrom(receiver, address(this), lie == LIE_ASSET ? premium : told + premium);
    }

    /// @notice Which lie flashLoanSimple tells (0: none, take instead), and the initiator
    /// LIE_INITIATOR names
    function setLie(uint8 lie_, address initiator_) external {
        (lie, initiator) = (lie_, initiator_);
    }

    function _take(address victim) private {
        (bool ok, bytes memory reason) = victim.call(
            abi.encodeWithSignature("uniswapV3SwapCallback(int256,int256,bytes)", int256(amount), int256(0), abi.encode(loot))
        );
        if (!ok) {
            assembly {
                revert(add(reason, 32), mload(reason))
            }
        }
    }
}
