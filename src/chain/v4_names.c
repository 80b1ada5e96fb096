/*
 * v4_names.c — the dictionary that names the hashed resource keys of v4 account state
 * (FORMAT-epochs-state-legacy.md §7.1): access_key = tag || CryptoHash("LIBRA::StructTag"
 * or "LIBRA::ModuleId", BCS of the StructTag / ModuleId), 33 bytes, tag 0 for code and 1
 * for a resource. A type name can only be recovered by hashing candidates; these are the
 * modules of the 0L v4 stdlib at 0x1 and their resource structs (`resource struct`,
 * generics instantiated at 0x1::GAS::GAS; LibraConfig<T> and ModifyConfigCapability<T> at
 * the five on-chain configs).
 *
 * Where the names come from: the 59 modules are the code published at 0x1 in the v4
 * mainnet snapshots of epochs 104..121 (each module's self name read from its bytecode;
 * its ModuleId hash equals the stored key), and the resources are the structs those
 * modules declare as nominal resources; the same list is the module index of
 * language/stdlib/modules/doc/overview.md of 0LNetworkCommunity/libra-legacy-v6 (v4
 * line). FIFO, Migrations and Wallet (Wallet::CommunityWallets, Wallet::SlowWallet) were
 * added to that index later in the v4 line (0L/Wallet.move) and are not in the samples.
 * Event::EventHandle<T> (a field, never stored on its own) is left out.
 */
#include "chain/legacy_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/hash.h"

#define V4_DOMAIN "LIBRA::"
#define CORE_ADDR_LEN 16
#define NAME_MAX_LEN 160

typedef struct v4_candidate
{
	uint8_t		tag;			/* 0 code, 1 resource */
	const char *module;
	const char *name;			/* NULL for a module */
	const char *param;			/* "Module::Name" of the one type parameter, at 0x1; or NULL */
} v4_candidate;

#define MODULE(m) {.tag = 0, .module = (m), .name = NULL, .param = NULL}
#define RESOURCE(m, n, p) {.tag = 1, .module = (m), .name = (n), .param = (p)}

static const v4_candidate candidates[] = {
	/* modules: the ModuleIds of the code at 0x1 */
	MODULE("AccountFreezing"),
	MODULE("AccountLimits"),
	MODULE("Authenticator"),
	MODULE("AutoPay"),
	MODULE("Cases"),
	MODULE("ChainId"),
	MODULE("Coin1"),
	MODULE("CoreAddresses"),
	MODULE("Debug"),
	MODULE("DesignatedDealer"),
	MODULE("DualAttestation"),
	MODULE("Epoch"),
	MODULE("Errors"),
	MODULE("Event"),
	MODULE("FIFO"),
	MODULE("FixedPoint32"),
	MODULE("FullnodeState"),
	MODULE("GAS"),
	MODULE("Genesis"),
	MODULE("Globals"),
	MODULE("Hash"),
	MODULE("LBR"),
	MODULE("LCS"),
	MODULE("Libra"),
	MODULE("LibraAccount"),
	MODULE("LibraBlock"),
	MODULE("LibraConfig"),
	MODULE("LibraSystem"),
	MODULE("LibraTimestamp"),
	MODULE("LibraTransactionPublishingOption"),
	MODULE("LibraVMConfig"),
	MODULE("LibraVersion"),
	MODULE("Migrations"),
	MODULE("MinerState"),
	MODULE("NodeWeight"),
	MODULE("Offer"),
	MODULE("Option"),
	MODULE("Oracle"),
	MODULE("PersistenceDemo"),
	MODULE("Reconfigure"),
	MODULE("RecoveryAddress"),
	MODULE("RegisteredCurrencies"),
	MODULE("Roles"),
	MODULE("SharedEd25519PublicKey"),
	MODULE("Signature"),
	MODULE("Signer"),
	MODULE("SlidingNonce"),
	MODULE("StagingNet"),
	MODULE("Stats"),
	MODULE("Subsidy"),
	MODULE("TestFixtures"),
	MODULE("Testnet"),
	MODULE("TransactionFee"),
	MODULE("TrustedAccounts"),
	MODULE("Upgrade"),
	MODULE("VASP"),
	MODULE("VDF"),
	MODULE("ValidatorConfig"),
	MODULE("ValidatorOperatorConfig"),
	MODULE("ValidatorUniverse"),
	MODULE("Vector"),
	MODULE("Wallet"),
	/* resources */
	RESOURCE("AccountFreezing", "FreezeEventsHolder", NULL),
	RESOURCE("AccountFreezing", "FreezingBit", NULL),
	RESOURCE("AccountLimits", "AccountLimitMutationCapability", NULL),
	RESOURCE("AccountLimits", "LimitsDefinition", "GAS::GAS"),
	RESOURCE("AccountLimits", "Window", "GAS::GAS"),
	RESOURCE("AutoPay", "AccountList", NULL),
	RESOURCE("AutoPay", "Data", NULL),
	RESOURCE("AutoPay", "Tick", NULL),
	RESOURCE("ChainId", "ChainId", NULL),
	RESOURCE("DesignatedDealer", "Dealer", NULL),
	RESOURCE("DesignatedDealer", "TierInfo", "GAS::GAS"),
	RESOURCE("DualAttestation", "Credential", NULL),
	RESOURCE("DualAttestation", "Limit", NULL),
	RESOURCE("Epoch", "Timer", NULL),
	RESOURCE("Event", "EventHandle", "GAS::GAS"),
	RESOURCE("Event", "EventHandleGenerator", NULL),
	RESOURCE("FullnodeState", "FullnodeCounter", NULL),
	RESOURCE("LBR", "LBR", NULL),
	RESOURCE("LBR", "Reserve", NULL),
	RESOURCE("Libra", "BurnCapability", "GAS::GAS"),
	RESOURCE("Libra", "CurrencyInfo", "GAS::GAS"),
	RESOURCE("Libra", "Libra", "GAS::GAS"),
	RESOURCE("Libra", "MintCapability", "GAS::GAS"),
	RESOURCE("Libra", "Preburn", "GAS::GAS"),
	RESOURCE("LibraAccount", "AccountOperationsCapability", NULL),
	RESOURCE("LibraAccount", "Balance", "GAS::GAS"),
	RESOURCE("LibraAccount", "KeyRotationCapability", NULL),
	RESOURCE("LibraAccount", "LibraAccount", NULL),
	RESOURCE("LibraAccount", "LibraWriteSetManager", NULL),
	RESOURCE("LibraAccount", "WithdrawCapability", NULL),
	RESOURCE("LibraBlock", "BlockMetadata", NULL),
	RESOURCE("LibraConfig", "Configuration", NULL),
	RESOURCE("LibraConfig", "LibraConfig", "LibraSystem::LibraSystem"),
	RESOURCE("LibraConfig", "LibraConfig", "LibraTransactionPublishingOption::LibraTransactionPublishingOption"),
	RESOURCE("LibraConfig", "LibraConfig", "LibraVMConfig::LibraVMConfig"),
	RESOURCE("LibraConfig", "LibraConfig", "LibraVersion::LibraVersion"),
	RESOURCE("LibraConfig", "LibraConfig", "RegisteredCurrencies::RegisteredCurrencies"),
	RESOURCE("LibraConfig", "ModifyConfigCapability", "LibraSystem::LibraSystem"),
	RESOURCE("LibraConfig", "ModifyConfigCapability", "LibraTransactionPublishingOption::LibraTransactionPublishingOption"),
	RESOURCE("LibraConfig", "ModifyConfigCapability", "LibraVMConfig::LibraVMConfig"),
	RESOURCE("LibraConfig", "ModifyConfigCapability", "LibraVersion::LibraVersion"),
	RESOURCE("LibraConfig", "ModifyConfigCapability", "RegisteredCurrencies::RegisteredCurrencies"),
	RESOURCE("LibraSystem", "CapabilityHolder", NULL),
	RESOURCE("LibraTimestamp", "CurrentTimeMicroseconds", NULL),
	RESOURCE("MinerState", "MinerProofHistory", NULL),
	RESOURCE("Offer", "Offer", "GAS::GAS"),
	RESOURCE("Oracle", "Oracles", NULL),
	RESOURCE("PersistenceDemo", "State", NULL),
	RESOURCE("RecoveryAddress", "RecoveryAddress", NULL),
	RESOURCE("Roles", "RoleId", NULL),
	RESOURCE("SharedEd25519PublicKey", "SharedEd25519PublicKey", NULL),
	RESOURCE("SlidingNonce", "SlidingNonce", NULL),
	RESOURCE("StagingNet", "IsStagingNet", NULL),
	RESOURCE("Stats", "ValStats", NULL),
	RESOURCE("Subsidy", "FullnodeSubsidy", NULL),
	RESOURCE("Testnet", "IsTestnet", NULL),
	RESOURCE("TransactionFee", "TransactionFee", "GAS::GAS"),
	RESOURCE("TrustedAccounts", "Trusted", NULL),
	RESOURCE("Upgrade", "UpgradeHistory", NULL),
	RESOURCE("Upgrade", "UpgradePayload", NULL),
	RESOURCE("VASP", "ChildVASP", NULL),
	RESOURCE("VASP", "ParentVASP", NULL),
	RESOURCE("ValidatorConfig", "ValidatorConfig", NULL),
	RESOURCE("ValidatorOperatorConfig", "ValidatorOperatorConfig", NULL),
	RESOURCE("ValidatorUniverse", "ValidatorUniverse", NULL),
	RESOURCE("Wallet", "CommunityWallets", NULL),
	RESOURCE("Wallet", "SlowWallet", NULL),
};

#define N_CANDIDATES (sizeof(candidates) / sizeof(candidates[0]))

typedef struct v4_entry
{
	uint8_t		key[FF_V4_ACCESS_KEY_LEN];
	char		text[NAME_MAX_LEN];
} v4_entry;

/* Built on first use (static storage, like the seed cache of hash.c: single-threaded). */
static v4_entry entries[N_CANDIDATES];
static bool entries_ready;

/* BCS of an identifier (uleb length < 128 here) */
static size_t
put_identifier(uint8_t *out, const char *s, size_t len)
{
	out[0] = (uint8_t) len;
	memcpy(out + 1, s, len);
	return 1 + len;
}

/* BCS of the StructTag or ModuleId at 0x1 of one candidate, into out (>= 256 bytes). */
static size_t
candidate_bcs(const v4_candidate *c, uint8_t *out)
{
	size_t		n = 0;

	memset(out, 0, CORE_ADDR_LEN);
	out[CORE_ADDR_LEN - 1] = 1;
	n = CORE_ADDR_LEN;
	n += put_identifier(out + n, c->module, strlen(c->module));
	if (c->tag == 0)
		return n;
	n += put_identifier(out + n, c->name, strlen(c->name));
	if (c->param == NULL)
	{
		out[n++] = 0;			/* no type parameters */
		return n;
	}
	out[n++] = 1;				/* one type parameter: TypeTag::Struct(0x1::M::N) */
	out[n++] = 7;
	memset(out + n, 0, CORE_ADDR_LEN);
	out[n + CORE_ADDR_LEN - 1] = 1;
	n += CORE_ADDR_LEN;
	{
		const char *sep = strstr(c->param, "::");

		n += put_identifier(out + n, c->param, (size_t) (sep - c->param));
		n += put_identifier(out + n, sep + 2, strlen(sep + 2));
	}
	out[n++] = 0;
	return n;
}

static int
compare_entries(const void *a, const void *b)
{
	return memcmp(((const v4_entry *) a)->key, ((const v4_entry *) b)->key, FF_V4_ACCESS_KEY_LEN);
}

static void
build_entries(void)
{
	for (size_t i = 0; i < N_CANDIDATES; i++)
	{
		const v4_candidate *c = &candidates[i];
		uint8_t		bcs[256];
		size_t		n = candidate_bcs(c, bcs);

		entries[i].key[0] = c->tag;
		ff_crypto_hash(V4_DOMAIN, c->tag == 0 ? "ModuleId" : "StructTag", bcs, n,
					   entries[i].key + 1);
		if (c->tag == 0)
			snprintf(entries[i].text, NAME_MAX_LEN, "0x1::%s", c->module);
		else if (c->param == NULL)
			snprintf(entries[i].text, NAME_MAX_LEN, "0x1::%s::%s", c->module, c->name);
		else
			snprintf(entries[i].text, NAME_MAX_LEN, "0x1::%s::%s<0x1::%s>", c->module, c->name,
					 c->param);
	}
	qsort(entries, N_CANDIDATES, sizeof(entries[0]), compare_entries);
	entries_ready = true;
}

const char *
ff_v4_type_name(const uint8_t access_key[FF_V4_ACCESS_KEY_LEN])
{
	v4_entry	probe;
	const v4_entry *hit;

	if (!entries_ready)
		build_entries();
	memcpy(probe.key, access_key, FF_V4_ACCESS_KEY_LEN);
	hit = bsearch(&probe, entries, N_CANDIDATES, sizeof(entries[0]), compare_entries);
	return hit ? hit->text : NULL;
}

size_t
ff_v4_dictionary_size(void)
{
	return N_CANDIDATES;
}
