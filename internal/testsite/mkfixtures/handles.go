package main

const (
	handleR = "ilon-mask-priglasil-vladimira-putina-v-clubhouse"
	handleG = "giga-berlin-brandenburg-environment-agency-approval-grunheide"
	handleN = "norway-electric-car-share-january-2021-model-y"
	handleK = "starship-sn10-suborbital-pad"
	handleW = "spacex-starlink-passes-1000-satellites-in-orbit"
	handleL = "starlink-pre-orders-open-99-deposit"
	handleS = "tesla-model-s-plaid-order-page-delivery-estimates"
	handleF = "tesla-raises-model-3-model-y-prices-us"
)
