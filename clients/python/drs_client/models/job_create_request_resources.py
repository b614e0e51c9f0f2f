from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobCreateRequestResources")


@_attrs_define
class JobCreateRequestResources:
    """Batch-scheduler request (scheduler servers only), over the server's default_resources: partition, account, qos,
    reservation, constraint, nodes, ntasks, cpus_per_task, memory_mb, gpus. timeout_seconds is the walltime.

        Attributes:
            partition (str | Unset):
            account (str | Unset):
            qos (str | Unset):
            reservation (str | Unset):
            constraint (str | Unset):
            nodes (int | Unset):
            ntasks (int | Unset):
            cpus_per_task (int | Unset):
            memory_mb (int | Unset):
            gpus (int | Unset):
    """

    partition: str | Unset = UNSET
    account: str | Unset = UNSET
    qos: str | Unset = UNSET
    reservation: str | Unset = UNSET
    constraint: str | Unset = UNSET
    nodes: int | Unset = UNSET
    ntasks: int | Unset = UNSET
    cpus_per_task: int | Unset = UNSET
    memory_mb: int | Unset = UNSET
    gpus: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        partition = self.partition

        account = self.account

        qos = self.qos

        reservation = self.reservation

        constraint = self.constraint

        nodes = self.nodes

        ntasks = self.ntasks

        cpus_per_task = self.cpus_per_task

        memory_mb = self.memory_mb

        gpus = self.gpus

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if partition is not UNSET:
            field_dict["partition"] = partition
        if account is not UNSET:
            field_dict["account"] = account
        if qos is not UNSET:
            field_dict["qos"] = qos
        if reservation is not UNSET:
            field_dict["reservation"] = reservation
        if constraint is not UNSET:
            field_dict["constraint"] = constraint
        if nodes is not UNSET:
            field_dict["nodes"] = nodes
        if ntasks is not UNSET:
            field_dict["ntasks"] = ntasks
        if cpus_per_task is not UNSET:
            field_dict["cpus_per_task"] = cpus_per_task
        if memory_mb is not UNSET:
            field_dict["memory_mb"] = memory_mb
        if gpus is not UNSET:
            field_dict["gpus"] = gpus

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        partition = d.pop("partition", UNSET)

        account = d.pop("account", UNSET)

        qos = d.pop("qos", UNSET)

        reservation = d.pop("reservation", UNSET)

        constraint = d.pop("constraint", UNSET)

        nodes = d.pop("nodes", UNSET)

        ntasks = d.pop("ntasks", UNSET)

        cpus_per_task = d.pop("cpus_per_task", UNSET)

        memory_mb = d.pop("memory_mb", UNSET)

        gpus = d.pop("gpus", UNSET)

        job_create_request_resources = cls(
            partition=partition,
            account=account,
            qos=qos,
            reservation=reservation,
            constraint=constraint,
            nodes=nodes,
            ntasks=ntasks,
            cpus_per_task=cpus_per_task,
            memory_mb=memory_mb,
            gpus=gpus,
        )

        return job_create_request_resources
