// Covers: one async function with 240 awaits (many states, several per line), a running checksum printed every 40 awaits.
#include <asyncc.h>
#include <stdio.h>

static async unsigned mix(unsigned h, unsigned k) {
  if (k % 3 == 0)
    await(ac_yield());
  return h * 2654435761u + k;
}

static async int main_async(void) {
  unsigned h = 1;
  h = await(mix(h, 1u)); h = await(mix(h, 2u)); h = await(mix(h, 3u));
  h = await(mix(h, 4u)); h = await(mix(h, 5u)); h = await(mix(h, 6u));
  h = await(mix(h, 7u)); h = await(mix(h, 8u)); h = await(mix(h, 9u));
  h = await(mix(h, 10u)); h = await(mix(h, 11u)); h = await(mix(h, 12u));
  h = await(mix(h, 13u)); h = await(mix(h, 14u)); h = await(mix(h, 15u));
  h = await(mix(h, 16u)); h = await(mix(h, 17u)); h = await(mix(h, 18u));
  h = await(mix(h, 19u)); h = await(mix(h, 20u)); h = await(mix(h, 21u));
  h = await(mix(h, 22u)); h = await(mix(h, 23u)); h = await(mix(h, 24u));
  h = await(mix(h, 25u)); h = await(mix(h, 26u)); h = await(mix(h, 27u));
  h = await(mix(h, 28u)); h = await(mix(h, 29u)); h = await(mix(h, 30u));
  h = await(mix(h, 31u)); h = await(mix(h, 32u)); h = await(mix(h, 33u));
  h = await(mix(h, 34u)); h = await(mix(h, 35u)); h = await(mix(h, 36u));
  h = await(mix(h, 37u)); h = await(mix(h, 38u)); h = await(mix(h, 39u));
  printf("after 39: %u\n", h);
  h = await(mix(h, 40u)); h = await(mix(h, 41u)); h = await(mix(h, 42u));
  h = await(mix(h, 43u)); h = await(mix(h, 44u)); h = await(mix(h, 45u));
  h = await(mix(h, 46u)); h = await(mix(h, 47u)); h = await(mix(h, 48u));
  h = await(mix(h, 49u)); h = await(mix(h, 50u)); h = await(mix(h, 51u));
  h = await(mix(h, 52u)); h = await(mix(h, 53u)); h = await(mix(h, 54u));
  h = await(mix(h, 55u)); h = await(mix(h, 56u)); h = await(mix(h, 57u));
  h = await(mix(h, 58u)); h = await(mix(h, 59u)); h = await(mix(h, 60u));
  h = await(mix(h, 61u)); h = await(mix(h, 62u)); h = await(mix(h, 63u));
  h = await(mix(h, 64u)); h = await(mix(h, 65u)); h = await(mix(h, 66u));
  h = await(mix(h, 67u)); h = await(mix(h, 68u)); h = await(mix(h, 69u));
  h = await(mix(h, 70u)); h = await(mix(h, 71u)); h = await(mix(h, 72u));
  h = await(mix(h, 73u)); h = await(mix(h, 74u)); h = await(mix(h, 75u));
  h = await(mix(h, 76u)); h = await(mix(h, 77u)); h = await(mix(h, 78u));
  printf("after 78: %u\n", h);
  h = await(mix(h, 79u)); h = await(mix(h, 80u)); h = await(mix(h, 81u));
  h = await(mix(h, 82u)); h = await(mix(h, 83u)); h = await(mix(h, 84u));
  h = await(mix(h, 85u)); h = await(mix(h, 86u)); h = await(mix(h, 87u));
  h = await(mix(h, 88u)); h = await(mix(h, 89u)); h = await(mix(h, 90u));
  h = await(mix(h, 91u)); h = await(mix(h, 92u)); h = await(mix(h, 93u));
  h = await(mix(h, 94u)); h = await(mix(h, 95u)); h = await(mix(h, 96u));
  h = await(mix(h, 97u)); h = await(mix(h, 98u)); h = await(mix(h, 99u));
  h = await(mix(h, 100u)); h = await(mix(h, 101u)); h = await(mix(h, 102u));
  h = await(mix(h, 103u)); h = await(mix(h, 104u)); h = await(mix(h, 105u));
  h = await(mix(h, 106u)); h = await(mix(h, 107u)); h = await(mix(h, 108u));
  h = await(mix(h, 109u)); h = await(mix(h, 110u)); h = await(mix(h, 111u));
  h = await(mix(h, 112u)); h = await(mix(h, 113u)); h = await(mix(h, 114u));
  h = await(mix(h, 115u)); h = await(mix(h, 116u)); h = await(mix(h, 117u));
  printf("after 117: %u\n", h);
  h = await(mix(h, 118u)); h = await(mix(h, 119u)); h = await(mix(h, 120u));
  h = await(mix(h, 121u)); h = await(mix(h, 122u)); h = await(mix(h, 123u));
  h = await(mix(h, 124u)); h = await(mix(h, 125u)); h = await(mix(h, 126u));
  h = await(mix(h, 127u)); h = await(mix(h, 128u)); h = await(mix(h, 129u));
  h = await(mix(h, 130u)); h = await(mix(h, 131u)); h = await(mix(h, 132u));
  h = await(mix(h, 133u)); h = await(mix(h, 134u)); h = await(mix(h, 135u));
  h = await(mix(h, 136u)); h = await(mix(h, 137u)); h = await(mix(h, 138u));
  h = await(mix(h, 139u)); h = await(mix(h, 140u)); h = await(mix(h, 141u));
  h = await(mix(h, 142u)); h = await(mix(h, 143u)); h = await(mix(h, 144u));
  h = await(mix(h, 145u)); h = await(mix(h, 146u)); h = await(mix(h, 147u));
  h = await(mix(h, 148u)); h = await(mix(h, 149u)); h = await(mix(h, 150u));
  h = await(mix(h, 151u)); h = await(mix(h, 152u)); h = await(mix(h, 153u));
  h = await(mix(h, 154u)); h = await(mix(h, 155u)); h = await(mix(h, 156u));
  printf("after 156: %u\n", h);
  h = await(mix(h, 157u)); h = await(mix(h, 158u)); h = await(mix(h, 159u));
  h = await(mix(h, 160u)); h = await(mix(h, 161u)); h = await(mix(h, 162u));
  h = await(mix(h, 163u)); h = await(mix(h, 164u)); h = await(mix(h, 165u));
  h = await(mix(h, 166u)); h = await(mix(h, 167u)); h = await(mix(h, 168u));
  h = await(mix(h, 169u)); h = await(mix(h, 170u)); h = await(mix(h, 171u));
  h = await(mix(h, 172u)); h = await(mix(h, 173u)); h = await(mix(h, 174u));
  h = await(mix(h, 175u)); h = await(mix(h, 176u)); h = await(mix(h, 177u));
  h = await(mix(h, 178u)); h = await(mix(h, 179u)); h = await(mix(h, 180u));
  h = await(mix(h, 181u)); h = await(mix(h, 182u)); h = await(mix(h, 183u));
  h = await(mix(h, 184u)); h = await(mix(h, 185u)); h = await(mix(h, 186u));
  h = await(mix(h, 187u)); h = await(mix(h, 188u)); h = await(mix(h, 189u));
  h = await(mix(h, 190u)); h = await(mix(h, 191u)); h = await(mix(h, 192u));
  h = await(mix(h, 193u)); h = await(mix(h, 194u)); h = await(mix(h, 195u));
  printf("after 195: %u\n", h);
  h = await(mix(h, 196u)); h = await(mix(h, 197u)); h = await(mix(h, 198u));
  h = await(mix(h, 199u)); h = await(mix(h, 200u)); h = await(mix(h, 201u));
  h = await(mix(h, 202u)); h = await(mix(h, 203u)); h = await(mix(h, 204u));
  h = await(mix(h, 205u)); h = await(mix(h, 206u)); h = await(mix(h, 207u));
  h = await(mix(h, 208u)); h = await(mix(h, 209u)); h = await(mix(h, 210u));
  h = await(mix(h, 211u)); h = await(mix(h, 212u)); h = await(mix(h, 213u));
  h = await(mix(h, 214u)); h = await(mix(h, 215u)); h = await(mix(h, 216u));
  h = await(mix(h, 217u)); h = await(mix(h, 218u)); h = await(mix(h, 219u));
  h = await(mix(h, 220u)); h = await(mix(h, 221u)); h = await(mix(h, 222u));
  h = await(mix(h, 223u)); h = await(mix(h, 224u)); h = await(mix(h, 225u));
  h = await(mix(h, 226u)); h = await(mix(h, 227u)); h = await(mix(h, 228u));
  h = await(mix(h, 229u)); h = await(mix(h, 230u)); h = await(mix(h, 231u));
  h = await(mix(h, 232u)); h = await(mix(h, 233u)); h = await(mix(h, 234u));
  printf("after 234: %u\n", h);
  h = await(mix(h, 235u)); h = await(mix(h, 236u)); h = await(mix(h, 237u));
  h = await(mix(h, 238u)); h = await(mix(h, 239u)); h = await(mix(h, 240u));
  printf("final: %u\n", h);
  return 0;
}

int main(void) { return ac_block_on(main_async()); }
