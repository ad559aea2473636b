"""Concurrent checkouts on one SQLite file: never two orders for one cart, never oversold."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from store.cart import add_item
from store.errors import OutOfStock
from store.models import Cart, Order, Variant
from store.orders import place_order
from store.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
AddProduct = Callable[..., str]


def run_together(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls in threads released at the same moment; each result is a value or the exception raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[index] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a checkout hung"
    return results


def checkout(uow_factory: UowFactory, sender: str) -> Callable[[], object]:
    def call() -> object:
        with uow_factory() as uow:  # each thread: its own unit of work, session and connection
            return place_order(sender, f"{sender}@example.com", "5 Quay Street, Bristol", "express", uow)

    return call


def counts(uow_factory: UowFactory) -> tuple[int, int]:
    with uow_factory() as uow:
        orders = uow.session.execute(select(func.count(Order.id))).scalar_one()
        stock = uow.session.execute(select(func.sum(Variant.stock))).scalar_one()
    return orders, stock


@pytest.mark.parametrize("attempt", range(3))
def test_two_confirmations_of_one_cart_make_one_order(uow_factory: UowFactory, add_product: AddProduct,
                                                      attempt: int) -> None:
    add_product("MUG-1", price="12.50", stock=10)
    with uow_factory() as uow:
        add_item("s1", "MUG-1", 2, uow)
    first, second = run_together([checkout(uow_factory, "s1"), checkout(uow_factory, "s1")])
    assert not isinstance(first, Exception), first
    assert not isinstance(second, Exception), second
    assert first.order_id == second.order_id
    assert counts(uow_factory) == (1, 8)
    with uow_factory() as uow:
        assert uow.session.execute(select(Cart.status)).scalars().all() == ["ordered"]


@pytest.mark.parametrize("attempt", range(3))
def test_two_shoppers_racing_for_the_last_unit(uow_factory: UowFactory, add_product: AddProduct, attempt: int) -> None:
    add_product("LAST-1", price="99.00", stock=1)
    with uow_factory() as uow:
        add_item("a", "LAST-1", 1, uow)
        add_item("b", "LAST-1", 1, uow)
    results = run_together([checkout(uow_factory, "a"), checkout(uow_factory, "b")])
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1 and isinstance(failures[0], OutOfStock), results
    assert failures[0].available == 0
    assert counts(uow_factory) == (1, 0)
    with uow_factory() as uow:
        statuses = sorted(uow.session.execute(select(Cart.status)).scalars())
    assert statuses == ["open", "ordered"]  # the loser keeps their cart
