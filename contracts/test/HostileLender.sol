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
    bool public viaApproval;
    address public initiator;

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

    /// @notice Aave V3 Pool's flashLoanSimple: take instead of lend. With `viaApproval` set it
    /// answers with the right callback, `executeOperation`, but names `loot` as the asset and
    /// its whole `amount` as the premium; it lends the asked-for asset and amount (it must
    /// hold them) so that the route can run, then pulls `loot` through the approval
    /// With `initiator` set it lends honestly (asset, amount and route as asked, no premium)
    /// but names `initiator` as the one that asked for the loan.
    function flashLoanSimple(address receiver, address asset, uint256 lent, bytes calldata params, uint16) external {
        if (!viaApproval && initiator == address(0)) return _take(receiver);
        IERC20Like(asset).transfer(receiver, lent);
        (address named, uint256 premium, address asker) =
            initiator == address(0) ? (loot, amount, receiver) : (asset, 0, initiator);
        (bool ok, bytes memory reason) = receiver.call(
            abi.encodeWithSignature(
                "executeOperation(address,uint256,uint256,address,bytes)", named, lent, premium, asker, params
            )
        );
        if (!ok) {
            assembly {
                revert(add(reason, 32), mload(reason))
            }
        }
        IERC20Like(named).transferFrom(receiver, address(this), initiator == address(0) ? amount : lent);
    }

    /// @notice Lend honestly but name `initiator_` as the loan's initiator (see flashLoanSimple)
    function setInitiator(address initiator_) external {
        initiator = initiator_;
    }

    /// @notice Answer flashLoanSimple with executeOperation naming `loot` (see there)
    function setViaApproval(bool on) external {
        viaApproval = on;
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
