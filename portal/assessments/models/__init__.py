"""Accountability records: DPIAs, supplier assurance and (ATRS) algorithm records."""

from .algorithms import (
    AlgorithmDataSource,
    AlgorithmImpactAssessment,
    AlgorithmRecordPage,
    AlgorithmRisk,
    AlgorithmSupplier,
)
from .dpia import STEPS, AssessmentIndexPage, DpiaPage, DpiaRisk, RiskScale, SignOff
from .suppliers import SUPPLIER_QUESTIONS, SupplierAnswer, SupplierAssurance

__all__ = [
    "STEPS",
    "SUPPLIER_QUESTIONS",
    "AlgorithmDataSource",
    "AlgorithmImpactAssessment",
    "AlgorithmRecordPage",
    "AlgorithmRisk",
    "AlgorithmSupplier",
    "AssessmentIndexPage",
    "DpiaPage",
    "DpiaRisk",
    "RiskScale",
    "SignOff",
    "SupplierAnswer",
    "SupplierAssurance",
]
